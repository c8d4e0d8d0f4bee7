package io.trailguard.job.cli;

import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.source.Diagnostic;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.fixtures.FixtureRunner;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.RuleSource;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Loading and checking rule files for the commands: the same diagnostics, printed the same way, everywhere. */
final class RuleFiles {
    static final String BUNDLED_VERSION = "bundled";

    private RuleFiles() {
    }

    /** The rule files under the paths (files, or directories read recursively); the bundled packs when empty. */
    static List<RuleSource> sources(String command, List<String> paths) throws UsageException, IOException {
        if (paths.isEmpty()) {
            return RuleLoader.bundledPacks();
        }
        List<Path> ps = new ArrayList<>();
        for (String p : paths) {
            ps.add(Paths.get(p));
        }
        try {
            List<RuleSource> sources = new ArrayList<>();
            for (RuleSource src : RuleLoader.sources(ps)) {
                // fixtures kept beside the rules (trailguard test) are not rules
                if (ps.contains(Paths.get(src.name())) || !FixtureRunner.isFixture(Paths.get(src.name()))) {
                    sources.add(src);
                }
            }
            if (sources.isEmpty()) {
                throw new UsageException(command + ": no rule files (.yaml, .yml) in " + String.join(" ", paths)
                        + ": a bundle without rules would disable detection"
                        + ("publish".equals(command) ? " (use publish --allow-empty to do that on purpose)" : ""));
            }
            return sources;
        } catch (NoSuchFileException e) {
            throw new UsageException(command + ": rules path does not exist: " + e.getFile()
                    + ": a bundle without rules would disable detection"
                    + ("publish".equals(command) ? " (use publish --allow-empty to do that on purpose)" : ""));
        }
    }

    static LoadResult load(List<RuleSource> sources, MatchingMode matching) {
        return RuleLoader.load(sources, LoadOptions.defaults().matching(matching));
    }

    /**
     * Prints every diagnostic as {@code file:line:col: message} (warnings marked) with the offending source line
     * and a caret, in load order.
     */
    static void print(LoadResult r, PrintStream err) {
        for (Diagnostic d : r.diagnostics()) {
            err.println(r.render(d));
        }
    }

    /**
     * The start-up bundle of a command: the rules under {@code paths} (or the bundled packs), checked. Returns null
     * after printing the errors when they do not load.
     */
    static RuleBundle startupBundle(String command, List<String> paths, MatchingMode matching, PrintStream err)
            throws UsageException, IOException {
        List<RuleSource> sources = sources(command, paths);
        LoadResult r = load(sources, matching);
        if (paths.isEmpty()) {
            // The bundled packs' warnings (lists and macros meant for overriding) are not the user's concern.
            for (Diagnostic d : r.errors()) {
                err.println(r.render(d));
            }
        } else {
            print(r, err);
        }
        if (!r.ok()) {
            err.println(command + ": invalid rules: " + r.errors().size() + " error(s)");
            return null;
        }
        RuleBundle bundle = paths.isEmpty()
                ? RuleBundle.ofSources(BUNDLED_VERSION, null, sources, "bundled")
                : RuleBundle.ofSources("local", null, sources, "rules.path");
        // The same refusal as the job's (CompiledBundle): start-up rules without an enabled rule detect nothing.
        String empty = CompiledBundle.emptinessError(bundle, r.ruleSet().size());
        if (empty != null) {
            err.println(command + ": " + empty);
            return null;
        }
        return bundle;
    }
}

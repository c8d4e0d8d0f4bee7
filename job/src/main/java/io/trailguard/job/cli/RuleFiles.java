package io.trailguard.job.cli;

import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.fixtures.FixtureRunner;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.Diagnostic;
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
    /** The name prefix of the bundled packs' sources. */
    static final String BUNDLED_PREFIX = "packs/";

    private RuleFiles() {
    }

    /** The rules of a selection: bundled packs, user files, overrides of the rules it turns off. */
    static final class Sources {
        final List<RuleSource> all;
        final List<RuleSource> user;
        final boolean bundled;
        final int disabled;

        Sources(List<RuleSource> all, List<RuleSource> user, boolean bundled, int disabled) {
            this.all = all;
            this.user = user;
            this.bundled = bundled;
            this.disabled = disabled;
        }

        boolean onlyBundled() {
            return bundled && user.isEmpty() && disabled == 0;
        }
    }

    /** The sources of a selection; warnings about the selection itself on {@code err}. */
    static Sources sources(String command, RuleSelection sel, PrintStream err) throws UsageException, IOException {
        List<RuleSource> user = userSources(command, sel.paths);
        List<RuleSource> all = new ArrayList<>();
        if (sel.bundled) {
            all.addAll(RuleLoader.bundledPacks());
        } else if (user.isEmpty()) {
            throw new UsageException(command + ": --no-bundled-rules needs --rules PATH (there would be no rules)");
        }
        all.addAll(user);
        int disabled = 0;
        if (sel.disablesAny()) {
            LoadResult r = load(all, MatchingMode.ALL);
            if (r.ok()) {
                List<String> warnings = new ArrayList<>();
                List<io.trailguard.rules.engine.Rule> off = sel.matched(r.ruleSet(), warnings);
                warnings.forEach(w -> err.println(command + ": warning: " + w));
                if (!off.isEmpty()) {
                    try {
                        all.add(RuleSelection.overrides(off, all));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(command + ": " + e.getMessage());
                    }
                    disabled = off.size();
                }
            }
        }
        return new Sources(all, user, sel.bundled, disabled);
    }

    /** The rule files under the paths (files, or directories read recursively; {@code -} is stdin). */
    static List<RuleSource> userSources(String command, List<String> paths) throws UsageException, IOException {
        List<RuleSource> sources = new ArrayList<>();
        for (String p : paths) {
            if (Stdin.DASH.equals(p)) {
                sources.add(new RuleSource("(stdin)", Stdin.text()));
                continue;
            }
            Path path = Paths.get(p);
            try {
                List<RuleSource> found = new ArrayList<>();
                for (RuleSource src : RuleLoader.sources(List.of(path))) {
                    // fixtures kept beside the rules (trailguard test) are not rules
                    if (path.equals(Paths.get(src.name())) || !FixtureRunner.isFixture(Paths.get(src.name()))) {
                        found.add(src);
                    }
                }
                if (found.isEmpty()) {
                    throw new UsageException(command + ": no rule files (.yaml, .yml) in " + p
                            + ": a bundle without rules would disable detection"
                            + ("publish".equals(command) ? " (use publish --allow-empty to do that on purpose)" : ""));
                }
                sources.addAll(found);
            } catch (NoSuchFileException e) {
                throw new UsageException(command + ": rules path does not exist: " + e.getFile()
                        + ": a bundle without rules would disable detection"
                        + ("publish".equals(command) ? " (use publish --allow-empty to do that on purpose)" : ""));
            }
        }
        return sources;
    }

    static LoadResult load(List<RuleSource> sources, MatchingMode matching) {
        return RuleLoader.load(sources, LoadOptions.defaults().matching(matching));
    }

    /**
     * Prints every diagnostic as {@code file:line:col: message} (warnings marked) with the offending source line
     * and a caret, in load order. The bundled packs' warnings (lists and macros meant for overriding) are not the
     * user's concern and are left out.
     */
    static void print(LoadResult r, PrintStream err) {
        for (Diagnostic d : r.diagnostics()) {
            if (d.isError() || d.file() == null || !d.file().startsWith(BUNDLED_PREFIX)) {
                err.println(r.render(d));
            }
        }
    }

    /** Warnings of the user's files only. */
    static long userWarnings(LoadResult r) {
        return r.warnings().stream().filter(d -> d.file() == null || !d.file().startsWith(BUNDLED_PREFIX)).count();
    }

    /** The bundle of the bundled packs alone ({@code packs}), as a selection of only them is loaded. */
    static RuleBundle bundledOnly(List<RuleSource> packs) {
        return RuleBundle.ofSources(BUNDLED_VERSION, null, packs, "bundled");
    }

    /**
     * The start-up bundle of a command: the selection's rules, checked. Returns null after printing the errors when
     * they do not load.
     */
    static RuleBundle startupBundle(String command, RuleSelection sel, MatchingMode matching, PrintStream err)
            throws UsageException, IOException {
        Sources s = sources(command, sel, err);
        RuleBundle bundle = s.onlyBundled() ? bundledOnly(s.all)
                : RuleBundle.ofSources("local", null, s.all, "rules.path");
        // loaded through the bundle's shared load, so that running the bundle afterwards does not load it again
        LoadResult r = CompiledBundle.load(bundle, matching);
        // from here on the command may log (a MiniCluster does): the preload's Log4j start-up must have ended
        BundledRulesPreload.await();
        print(r, err);
        if (!r.ok()) {
            err.println(command + ": invalid rules: " + r.errors().size() + " error(s)");
            return null;
        }
        // The same refusal as the job's (CompiledBundle): start-up rules without an enabled rule detect nothing.
        String empty = CompiledBundle.emptinessError(bundle, r.ruleSet().size());
        if (empty != null) {
            err.println(command + ": " + empty);
            return null;
        }
        return bundle;
    }
}

package io.trailguard.bench;

import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.RuleSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** The full rule set benchmarks evaluate: every bundled pack plus SigmaHQ's CloudTrail rules when present. */
public final class RuleSets {
    private RuleSets() {}

    public static List<RuleSource> fullSources() {
        List<RuleSource> sources = new ArrayList<>(RuleLoader.bundledPacks());
        Path sigma = sigmaRules();
        if (sigma != null) {
            try {
                sources.addAll(RuleLoader.sources(List.of(sigma)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    public static RuleSet full() {
        return RuleLoader.load(fullSources(), LoadOptions.defaults()).orThrow();
    }

    public static RuleSet of(List<RuleSource> sources) {
        return RuleLoader.load(sources, LoadOptions.defaults()).orThrow();
    }

    static Path sigmaRules() {
        String configured = System.getProperty("trailguard.bench.sigma");
        if (configured != null) {
            return Paths.get(configured);
        }
        for (String base : new String[] {"../shared", "../../shared", "shared"}) {
            Path p = Paths.get(base, "anchors", "sigma", "rules");
            if (Files.isDirectory(p)) {
                return p.normalize();
            }
        }
        return null;
    }
}

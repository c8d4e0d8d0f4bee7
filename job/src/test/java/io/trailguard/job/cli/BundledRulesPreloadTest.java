package io.trailguard.job.cli;

import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.loader.RuleLoader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The preload guesses the bundled-only selection conservatively, and what it loads is the very entry of the shared
 * load that the command's own start-up bundle uses (else the command would load the rules a second time).
 */
class BundledRulesPreloadTest {
    @Test
    void preloadsOnlyForTheBundledPacksWithDefaultMatching() {
        Map<String, String> none = Map.of();
        assertThat(BundledRulesPreload.wanted(new String[0], none)).isTrue();
        assertThat(BundledRulesPreload.wanted(new String[] {"demo"}, none)).isTrue();
        assertThat(BundledRulesPreload.wanted(new String[] {"replay", "--input", "logs/"}, none)).isTrue();
        for (String[] other : List.of(new String[] {"validate", "x.yaml"}, new String[] {"run"},
                new String[] {"replay", "-i", "a", "-r", "my.yaml"}, new String[] {"replay", "--rules=my.yaml"},
                new String[] {"replay", "-rmy.yaml"}, new String[] {"replay", "--no-bundled-rules"},
                new String[] {"replay", "--matching", "first"}, new String[] {"replay", "-D", "IAM*"},
                new String[] {"replay", "--disable-tag=mitre"})) {
            assertThat(BundledRulesPreload.wanted(other, none)).as(String.join(" ", other)).isFalse();
        }
        assertThat(BundledRulesPreload.wanted(new String[] {"replay"}, Map.of("TRAILGUARD_RULES", "my.yaml")))
                .isFalse();
        assertThat(BundledRulesPreload.wanted(new String[] {"replay"}, Map.of("TRAILGUARD_MATCHING", "first")))
                .isFalse();
        assertThat(BundledRulesPreload.wanted(new String[] {"replay"}, Map.of("TRAILGUARD_RULES", " "))).isTrue();
    }

    @Test
    void itLoadsTheEntryTheStartUpBundleUses() throws Exception {
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, "UTF-8");
        RuleBundle startup = RuleFiles.startupBundle("replay",
                new RuleSelection(true, List.of(), List.of(), List.of()), MatchingMode.ALL, err);
        assertThat(startup).isNotNull();
        assertThat(CompiledBundle.load(RuleFiles.bundledOnly(RuleLoader.bundledPacks()), MatchingMode.ALL))
                .isSameAs(CompiledBundle.load(startup, MatchingMode.ALL));
    }
}

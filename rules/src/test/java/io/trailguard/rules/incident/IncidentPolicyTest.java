package io.trailguard.rules.incident;

import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.RuleSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class IncidentPolicyTest {
    @Test
    void theBundledPacksDefineTheDefaults() {
        LoadResult r = RuleLoader.load(RuleLoader.bundledPacks(), LoadOptions.defaults());
        assertThat(r.ok()).isTrue();
        assertThat(r.incidentPolicy()).isEqualTo(IncidentPolicy.defaults());
        assertThat(r.warnings()).noneSatisfy(w -> assertThat(w.toString()).contains("incident_"));
        IncidentPolicy p = r.incidentPolicy();
        assertThat(p.gapMillis()).isEqualTo(30 * 60_000L);
        assertThat(List.of(p.minRules(), p.minTactics(), p.minScore())).containsExactly(3, 3, 10);
        assertThat(p.minPriority()).isEqualTo(Priority.NOTICE);
    }

    @Test
    void aUserFileOverridesListsWithItemsReplace() {
        List<RuleSource> sources = new ArrayList<>(RuleLoader.bundledPacks());
        sources.add(new RuleSource("mine.yaml", String.join("\n",
                "- list: incident_inactivity_gap",
                "  items: [2h]",
                "  override:",
                "    items: replace",
                "- list: incident_excluded_rules",
                "  items: [\"IAM User Created\"]",
                "  override:",
                "    items: replace",
                "- list: incident_min_tactics",
                "  items: [\"4\"]",
                "  override:",
                "    items: replace",
                "")));
        LoadResult r = RuleLoader.load(sources, LoadOptions.defaults());
        assertThat(r.errors()).isEmpty();
        IncidentPolicy p = r.incidentPolicy();
        assertThat(p.gapMillis()).isEqualTo(2 * 3_600_000L);
        assertThat(p.minTactics()).isEqualTo(4);
        assertThat(p.excludedRules()).isEqualTo(Set.of("IAM User Created"));
        assertThat(p.counts("IAM User Created", Priority.CRITICAL, List.of("persistence"))).isFalse();
        assertThat(p.counts("IAM User Deleted", Priority.NOTICE, List.of("persistence"))).isTrue();
        assertThat(p.counts("IAM User Deleted", Priority.INFORMATIONAL, List.of("persistence"))).isFalse();
        assertThat(p.counts("IAM User Deleted", Priority.CRITICAL, List.of())).isFalse();
        assertThat(p.counts(IncidentPolicy.RULE, Priority.CRITICAL, List.of("persistence"))).isFalse();
    }

    @Test
    void aBadValueIsAnErrorAtTheList() {
        LoadResult r = RuleLoader.load(List.of(new RuleSource("bad.yaml", String.join("\n",
                "- list: incident_inactivity_gap",
                "  items: [soon]",
                "- list: incident_min_score",
                "  items: [\"1\", \"2\"]",
                "- list: incident_min_priority",
                "  items: [loud]",
                "- rule: r",
                "  desc: d",
                "  condition: ct.name = X",
                "  output: o",
                "  priority: NOTICE",
                "  source: aws_cloudtrail",
                ""))), LoadOptions.defaults());
        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).extracting(Object::toString).containsExactly(
                "bad.yaml:1:3: list 'incident_inactivity_gap': 'soon' is no timespan (a positive number followed by"
                        + " s, m, h or d, e.g. 30m)",
                "bad.yaml:3:3: list 'incident_min_score' must hold exactly one value, not 2",
                "bad.yaml:5:3: list 'incident_min_priority': 'loud' is no priority (emergency, alert, critical, "
                        + "error, warning, notice, informational, debug)");
    }
}

package io.trailguard.rules.loader;

import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.source.Diagnostic;

import org.junit.jupiter.api.Test;

import static io.trailguard.rules.testing.Events.load;
import static io.trailguard.rules.testing.Events.q;
import static org.assertj.core.api.Assertions.assertThat;

/** Rule text is input too: hostile rule files are rejected with a clear error, quickly, or made harmless. */
class HostileRulesTest {
    static String rule(String condition) {
        return "- rule: R\n  desc: d\n  condition: " + condition + "\n  output: o\n  priority: INFO\n"
                + "  source: aws_cloudtrail\n";
    }

    @Test
    void deeplyNestedMacrosAreRejected() {
        StringBuilder yaml = new StringBuilder("- macro: m0\n  condition: ct.name = X\n");
        for (int i = 1; i <= 1500; i++) {
            yaml.append("- macro: m").append(i).append("\n  condition: (m").append(i - 1).append(" and ct.region = r)\n");
        }
        yaml.append(rule("m1500"));
        LoadResult r = load(yaml.toString());
        assertThat(r.ok()).isFalse();
        assertThat(r.errors().get(0).message()).contains("deeper than 1000 levels");
    }

    @Test
    void hugeListsAreRejected() {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            items.append(i == 0 ? "" : ", ").append("item").append(i);
        }
        LoadResult r = load("- list: big\n  items: [" + items + "]\n" + rule("ct.name in (big)"));
        assertThat(r.errors()).extracting(Diagnostic::toString)
                .containsExactly("test.yaml:1:3: list 'big' has 100000 items; the limit is 10000");
    }

    @Test
    void tenMegabyteConditionIsRejected() {
        StringBuilder cond = new StringBuilder("ct.name = X");
        while (cond.length() < 10_000_000) {
            cond.append(" or ct.name = Y1234567890");
        }
        LoadResult r = load(rule(cond.toString()));
        assertThat(r.errors().get(0).message()).contains("condition is").contains("the limit is");
    }

    @Test
    void catastrophicBacktrackingPatternsAreHarmlessUnderRe2() {
        RuleSet rs = load(rule("ct.useragent regex \"(a|aa)*(b|a+)+$\"")).orThrow();
        StringBuilder ua = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            ua.append('a');
        }
        CloudTrailEvent e = q("{'eventName':'X','userAgent':'" + ua + "c'}");
        long start = System.nanoTime();
        assertThat(rs.evaluate(e, rs.newContext())).isEmpty();
        // not a timing assertion of performance, a guard against exponential blow-up (which would take years)
        assertThat(System.nanoTime() - start).isLessThan(30_000_000_000L);
    }

    @Test
    void backReferencesAreNotRegularAndAreRejected() {
        assertThat(load(rule("ct.useragent regex \"(a)\\\\1\"")).errors().get(0).message())
                .contains("invalid regex pattern");
    }
}

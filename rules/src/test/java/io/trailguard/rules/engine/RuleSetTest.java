package io.trailguard.rules.engine;

import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.loader.LoadOptions;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.Collectors;

import static io.trailguard.rules.testing.Events.load;
import static io.trailguard.rules.testing.Events.q;
import static org.assertj.core.api.Assertions.assertThat;

/** The eventName index and matching modes. */
class RuleSetTest {
    static String rule(String name, String condition) {
        return "- rule: " + name + "\n  desc: d\n  condition: " + condition + "\n  output: o\n"
                + "  priority: INFO\n  source: aws_cloudtrail\n";
    }

    static String names(Rule[] rules) {
        return Arrays.stream(rules).map(Rule::name).collect(Collectors.joining(","));
    }

    @Test
    void eventsAreEvaluatedOnlyAgainstRulesThatCanMatchTheirName() {
        RuleSet rs = load(rule("A", "ct.name = X and ct.region = r")
                + rule("B", "ct.name in (X, Y)")
                + rule("C", "ct.region = r")
                + rule("D", "ct.name = X or ct.name = Z")
                + rule("E", "ct.name = X or ct.region = r")
                + rule("F", "jevt.value[/eventName] = Y")
                + rule("G", "not ct.name = X")
                + rule("H", "ct.name = X and ct.name = Y")).orThrow();
        assertThat(rs.rules().get(0).eventNames()).containsExactly("X");
        assertThat(rs.rules().get(4).eventNames()).isNull();
        assertThat(rs.rules().get(7).eventNames()).isEmpty();
        assertThat(names(rs.candidates(q("{'eventName':'X'}")))).isEqualTo("A,B,C,D,E,G");
        assertThat(names(rs.candidates(q("{'eventName':'Y'}")))).isEqualTo("B,C,E,F,G");
        assertThat(names(rs.candidates(q("{'eventName':'Q'}")))).isEqualTo("C,E,G");
        assertThat(names(rs.candidates(q("{'eventSource':'s'}")))).isEqualTo("C,E,G");
        assertThat(names(rs.candidates(q("{'eventName':7}")))).isEqualTo("A,B,C,D,E,F,G,H");
    }

    @Test
    void allModeAlertsEveryMatchInLoadOrderFirstModeOnlyTheFirst() {
        String yaml = rule("A", "ct.region = r") + rule("B", "ct.name = X") + rule("C", "ct.name exists");
        CloudTrailEvent e = q("{'eventName':'X','awsRegion':'r'}");
        RuleSet all = load(yaml).orThrow();
        assertThat(all.evaluate(e, all.newContext())).extracting(Alert::rule).containsExactly("A", "B", "C");
        RuleSet first = load(yaml, LoadOptions.defaults().matching(MatchingMode.FIRST)).orThrow();
        assertThat(first.evaluate(e, first.newContext())).extracting(Alert::rule).containsExactly("A");
    }

    @Test
    void oneContextEvaluatesManyEventsWithoutStaleValues() {
        RuleSet rs = load(rule("A", "ct.region = r")).orThrow();
        EvaluationContext ctx = rs.newContext();
        assertThat(rs.evaluate(q("{'eventName':'X','awsRegion':'r'}"), ctx)).hasSize(1);
        assertThat(rs.evaluate(q("{'eventName':'X','awsRegion':'s'}"), ctx)).isEmpty();
        assertThat(rs.evaluate(q("{'eventName':'X','awsRegion':'r'}"), ctx)).hasSize(1);
    }
}

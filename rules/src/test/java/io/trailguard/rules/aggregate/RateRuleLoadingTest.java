package io.trailguard.rules.aggregate;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.trailguard.rules.testing.Events.load;
import static io.trailguard.rules.testing.Events.q;
import static org.assertj.core.api.Assertions.assertThat;

/** The aggregate: key of rules, the signals rate rules emit, and the alert a firing window produces. */
class RateRuleLoadingTest {
    static final String LOGINS = "- rule: Console Login Failures From One Source\n"
            + "  desc: Many failed console logins from one IP address\n"
            + "  condition: ct.name = \"ConsoleLogin\" and json.value[/responseElements/ConsoleLogin] = \"Failure\"\n"
            + "  aggregate:\n"
            + "    type: event_count\n"
            + "    group_by: [ct.srcip]\n"
            + "    timespan: 5m\n"
            + "    gte: 3\n"
            + "  output: \"%aggregate.count failed logins from %ct.srcip within 5m (first %aggregate.first_time, last "
            + "%aggregate.last_time) last user %ct.user\"\n"
            + "  priority: WARNING\n"
            + "  source: aws_cloudtrail\n";

    static CloudTrailEvent failure(String ip, String time, String id) {
        return q("{'eventName':'ConsoleLogin','eventSource':'signin.amazonaws.com','sourceIPAddress':'" + ip + "',"
                + "'eventTime':'" + time + "','eventID':'" + id + "','awsRegion':'us-east-1','recipientAccountId':'1',"
                + "'userIdentity':{'type':'IAMUser','userName':'u-" + id + "'},"
                + "'responseElements':{'ConsoleLogin':'Failure'}}");
    }

    @Test
    void rateRulesEmitSignalsAndNoSingleEventAlerts() {
        RuleSet rs = load(LOGINS).orThrow();
        Rule rule = rs.rules().get(0);
        assertThat(rule.isRateRule()).isTrue();
        assertThat(rule.aggregate().timespanMillis()).isEqualTo(300_000);
        List<Signal> signals = new ArrayList<>();
        List<Alert> alerts = rs.evaluate(failure("1.2.3.4", "2023-07-10T11:42:05Z", "a"), rs.newContext(), signals);
        assertThat(alerts).isEmpty();
        assertThat(signals).hasSize(1);
        Signal s = signals.get(0);
        assertThat(s.group).containsExactly("1.2.3.4");
        assertThat(s.eventId).isEqualTo("a");
        assertThat(s.fingerprint).isEqualTo(rule.fingerprint()).hasSize(16);
        assertThat(s.outputValues).containsExactly("1.2.3.4", "u-a");
        // no source IP: the event does not count
        List<Signal> none = new ArrayList<>();
        rs.evaluate(q("{'eventName':'ConsoleLogin','responseElements':{'ConsoleLogin':'Failure'}}"), rs.newContext(), none);
        assertThat(none).isEmpty();
    }

    @Test
    void firingBuildsTheAlertFromTheWindowAndTheLastEvent() {
        RuleSet rs = load(LOGINS).orThrow();
        Rule rule = rs.rules().get(0);
        WindowState state = new WindowState();
        List<Firing> firings = new ArrayList<>();
        String[] group = null;
        for (String[] e : new String[][] {{"11:42:05", "a"}, {"11:43:00", "b"}, {"11:44:59", "c"}}) {
            List<Signal> signals = new ArrayList<>();
            rs.evaluate(failure("1.2.3.4", "2023-07-10T" + e[0] + "Z", e[1]), rs.newContext(), signals);
            group = signals.get(0).group;
            firings.addAll(RateWindow.add(state, rule.aggregate(), WindowEntry.of(signals.get(0))).firings);
        }
        assertThat(firings).hasSize(1);
        Alert a = rs.rateAlert(rule, group, firings.get(0));
        assertThat(a.output()).isEqualTo("3 failed logins from 1.2.3.4 within 5m (first 2023-07-10T11:42:05.000000000Z, "
                + "last 2023-07-10T11:44:59.000000000Z) last user u-c");
        assertThat(a.event().id()).isEqualTo("c");
        assertThat(a.event().time()).isEqualTo("2023-07-10T11:44:59.000000000Z");
        assertThat(a.outputFields()).containsEntry("aggregate.count", 3L).containsEntry("ct.srcip", "1.2.3.4");
        assertThat(a.rate().toMap()).containsEntry("count", 3L).containsEntry("first_event_id", "a")
                .containsEntry("window_start", "2023-07-10T11:42:05.000000000Z");
        assertThat(a.toJson()).contains("\"aggregate\":{\"type\":\"event_count\",\"condition\":\"gte 3\"");
        assertThat(Alert.fromJson(a.toJson()).toJson()).isEqualTo(a.toJson());
    }

    @Test
    void aggregateErrorsNameThePlace() {
        String base = "- rule: R\n  desc: d\n  condition: ct.name = X\n  output: '%aggregate.count'\n"
                + "  priority: INFO\n  source: aws_cloudtrail\n  aggregate:\n";
        assertThat(load(base + "    type: counting\n    timespan: 5m\n    gt: 1\n").errors().get(0).toString())
                .isEqualTo("test.yaml:8:11: unknown aggregate type 'counting' (expected event_count, value_count, "
                        + "value_sum or value_avg)");
        assertThat(load(base + "    type: event_count\n    timespan: 5 minutes\n    gt: 1\n").errors().get(0).message())
                .startsWith("invalid timespan '5 minutes'");
        assertThat(load(base + "    type: event_count\n    timespan: 5m\n").errors().get(0).message())
                .contains("exactly one threshold, or two");
        assertThat(load(base + "    type: event_count\n    timespan: 5m\n    gt: 1\n    lt: 5\n    eq: 3\n")
                .errors().get(0).message()).contains("found 3");
        assertThat(load(base + "    type: value_count\n    timespan: 5m\n    gt: 1\n").errors().get(0).message())
                .contains("needs a 'field'");
        assertThat(load(base + "    type: event_count\n    timespan: 5m\n    gt: many\n").errors().get(0).message())
                .contains("gt must be a number");
        assertThat(load(base + "    type: event_count\n    group_by: [ct.nosuch]\n    timespan: 5m\n    gt: 1\n")
                .errors().get(0).message()).contains("unknown field 'ct.nosuch'");
        assertThat(load(base.replace("ct.name = X", "aggregate.count > 1") + "    type: event_count\n    timespan: 5m\n"
                + "    gt: 1\n").errors().get(0).message()).contains("use aggregate.* fields in the output only");
        assertThat(load("- rule: R\n  desc: d\n  condition: ct.name = X\n  output: '%aggregate.count'\n"
                + "  priority: INFO\n  source: aws_cloudtrail\n").errors().get(0).message())
                .contains("only be used in rules with an 'aggregate' block");
    }

    @Test
    void changingARateRuleChangesItsFingerprint() {
        String a = load(LOGINS).orThrow().rules().get(0).fingerprint();
        assertThat(load(LOGINS).orThrow().rules().get(0).fingerprint()).isEqualTo(a);
        assertThat(load(LOGINS.replace("gte: 3", "gte: 4")).orThrow().rules().get(0).fingerprint()).isNotEqualTo(a);
    }
}

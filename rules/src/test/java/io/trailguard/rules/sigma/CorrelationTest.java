package io.trailguard.rules.sigma;

import io.trailguard.rules.aggregate.AggregateInput;
import io.trailguard.rules.aggregate.AggregateType;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.source.Diagnostic;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static io.trailguard.rules.sigma.SigmaTesting.LOGSOURCE;
import static io.trailguard.rules.sigma.SigmaTesting.load;
import static io.trailguard.rules.sigma.SigmaTesting.q;
import static io.trailguard.rules.sigma.SigmaTesting.rules;
import static org.assertj.core.api.Assertions.assertThat;

/** Sigma correlation rules compiled onto rate rules and run through a plain-Java keyed window operator. */
class CorrelationTest {
    static final long MIN = 60_000L;
    static final long T0 = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();

    static final String BASE = "title: Failed console login\nid: 6b1a3d2e-0000-4000-8000-000000000001\n"
            + "name: failed_login\n" + LOGSOURCE
            + "detection:\n  selection:\n    eventName: ConsoleLogin\n    responseElements.ConsoleLogin: Failure\n"
            + "  condition: selection\nlevel: low\n---\n"
            + "title: Successful console login\nid: 6b1a3d2e-0000-4000-8000-000000000002\nname: successful_login\n"
            + LOGSOURCE
            + "detection:\n  selection:\n    eventName: ConsoleLogin\n    responseElements.ConsoleLogin: Success\n"
            + "  condition: selection\nlevel: low\n";

    static String correlation(String title, String body) {
        return "---\ntitle: " + title + "\nid: 6b1a3d2e-0000-4000-8000-0000000001"
                + String.format(java.util.Locale.ROOT, "%02d", Math.abs(title.hashCode() % 90 + 10))
                + "\ncorrelation:\n" + SigmaTesting.indent(body) + "level: high\ntags:\n  - attack.credential-access\n";
    }

    static final String BRUTE_FORCE = correlation("Brute force from one address",
            "type: event_count\nrules:\n  - failed_login\ngroup-by:\n  - sourceIPAddress\ntimespan: 5m\n"
                    + "condition:\n  gte: 3\n");

    static String time(long offset) {
        return Instant.ofEpochMilli(T0 + offset).toString();
    }

    static CloudTrailEvent login(String result, String ip, String user, long offset, String id) {
        return q("{'eventVersion':'1.08','eventTime':'" + time(offset) + "','eventSource':'signin.amazonaws.com',"
                + "'eventName':'ConsoleLogin','awsRegion':'us-east-1','sourceIPAddress':'" + ip + "','eventID':'" + id
                + "','recipientAccountId':'111122223333','userIdentity':{'type':'IAMUser','userName':'" + user + "',"
                + "'arn':'arn:aws:iam::111122223333:user/" + user + "'},'responseElements':{'ConsoleLogin':'" + result
                + "'}}");
    }

    static CloudTrailEvent failure(String ip, long offset) {
        return login("Failure", ip, "alice", offset, "f" + offset / 1000);
    }

    static CloudTrailEvent success(String ip, long offset) {
        return login("Success", ip, "alice", offset, "s" + offset / 1000);
    }

    static MiniOperator run(RuleSet rs, CloudTrailEvent... events) {
        MiniOperator op = new MiniOperator(rs);
        for (CloudTrailEvent e : events) {
            op.event(e);
        }
        return op;
    }

    @Nested
    class EventCount {
        @Test
        void firesInsideTheTimespanAndTheBaseRulesDoNotAlertOnTheirOwn() {
            RuleSet rs = rules(BASE + BRUTE_FORCE);
            assertThat(rs.rules()).extracting(Rule::name)
                    .containsExactly("Successful console login", "Brute force from one address");
            MiniOperator op = run(rs, failure("1.2.3.4", 0), failure("1.2.3.4", MIN), failure("1.2.3.4", 2 * MIN));
            assertThat(op.firedRules()).containsExactly("Brute force from one address");
            Alert a = op.alerts.get(0);
            assertThat(a.rule().priority().display()).isEqualTo("Error");
            assertThat(a.rule().tags()).containsExactly("attack.credential-access");
            assertThat(a.output()).isEqualTo("Brute force from one address: 3 events within 300s for "
                    + "sourceIPAddress=1.2.3.4; last event ConsoleLogin by arn:aws:iam::111122223333:user/alice from "
                    + "1.2.3.4 in us-east-1");
            assertThat(a.outputFields().get("sigma.id")).asString().startsWith("6b1a3d2e-0000-4000-8000-");
            assertThat(a.outputFields()).containsEntry("sigma.correlation", "event_count")
                    .containsEntry("sigma.level", "high").containsEntry("aggregate.count", 3L)
                    .containsEntry("aggregate.event_ids", List.of("f0", "f60", "f120"))
                    .containsEntry("sourceIPAddress", "1.2.3.4");
            assertThat(a.rate().toMap()).containsEntry("type", "event_count").containsEntry("condition", "gte 3");
            assertThat(a.event().id()).isEqualTo("f120");
            assertThat(a.event().account()).isEqualTo("111122223333");
            assertThat(a.event().time()).isEqualTo("2024-05-01T10:02:00.000000000Z");
        }

        @Test
        void straddlingAnyBucketBoundaryStillFires() {
            RuleSet rs = rules(BASE + BRUTE_FORCE);
            // 10:04:00, 10:04:50, 10:05:10: 5-minute buckets would hold 2 and 1
            MiniOperator op = run(rs, failure("1.2.3.4", 4 * MIN), failure("1.2.3.4", 4 * MIN + 50_000),
                    failure("1.2.3.4", 5 * MIN + 10_000));
            assertThat(op.firedRules()).containsExactly("Brute force from one address");
        }

        @Test
        void eventsFurtherApartThanTheTimespanDoNot() {
            RuleSet rs = rules(BASE + BRUTE_FORCE);
            assertThat(run(rs, failure("1.2.3.4", 0), failure("1.2.3.4", 3 * MIN), failure("1.2.3.4", 6 * MIN)).alerts)
                    .isEmpty();
        }

        @Test
        void differentGroupsCountSeparately() {
            RuleSet rs = rules(BASE + BRUTE_FORCE);
            MiniOperator op = run(rs, failure("1.2.3.4", 0), failure("5.6.7.8", MIN), failure("1.2.3.4", 2 * MIN));
            assertThat(op.alerts).isEmpty();
            op.event(failure("1.2.3.4", 3 * MIN));
            assertThat(op.firedRules()).containsExactly("Brute force from one address");
            assertThat(op.alerts.get(0).rate().toMap().get("group").toString()).isEqualTo("{sourceIPAddress=1.2.3.4}");
        }

        @Test
        void anEventWithoutTheGroupByFieldDoesNotCount() {
            RuleSet rs = rules(BASE + BRUTE_FORCE);
            List<Signal> signals = new ArrayList<>();
            rs.evaluate(q("{'eventName':'ConsoleLogin','responseElements':{'ConsoleLogin':'Failure'}}"),
                    rs.newContext(), signals);
            assertThat(signals).isEmpty();
        }

        @Test
        void generateTrueLetsTheBaseRulesAlertToo() {
            RuleSet rs = rules(BASE + correlation("Brute force", "type: event_count\nrules: failed_login\n"
                    + "group-by: sourceIPAddress\ntimespan: 5m\ngenerate: true\ncondition:\n  gte: 2\n"));
            MiniOperator op = run(rs, failure("1.2.3.4", 0), failure("1.2.3.4", MIN));
            assertThat(op.firedRules()).containsExactly("Failed console login", "Failed console login", "Brute force");
        }

        @Test
        void rangesAndNeq() {
            RuleSet range = rules(BASE + correlation("Some failures", "type: event_count\nrules: [failed_login]\n"
                    + "timespan: 5m\ncondition:\n  gt: 1\n  lte: 2\n"));
            // a range with lte waits for the window end
            MiniOperator op = run(range, failure("1.2.3.4", 0), failure("1.2.3.4", MIN));
            assertThat(op.alerts).isEmpty();
            op.advanceTo(T0 + 5 * MIN);
            assertThat(op.firedRules()).containsExactly("Some failures");
            RuleSet neq = rules(BASE + correlation("Not exactly one", "type: event_count\nrules: [failed_login]\n"
                    + "timespan: 5m\ncondition:\n  neq: 1\n"));
            assertThat(run(neq, failure("1.2.3.4", 0)).alerts).isEmpty();
            assertThat(run(neq, failure("1.2.3.4", 0), failure("1.2.3.4", MIN)).firedRules())
                    .containsExactly("Not exactly one");
        }

        @Test
        void ltFiresAtTheWindowEndOnTheWatermark() {
            RuleSet rs = rules(BASE + correlation("Too few", "type: event_count\nrules: [failed_login]\n"
                    + "group-by: [sourceIPAddress]\ntimespan: 5m\ncondition:\n  lt: 3\n"));
            MiniOperator op = run(rs, failure("1.2.3.4", 0), failure("1.2.3.4", MIN),
                    failure("5.6.7.8", 0), failure("5.6.7.8", MIN), failure("5.6.7.8", 2 * MIN));
            op.advanceTo(T0 + 5 * MIN - 1);
            assertThat(op.alerts).as("not before the window end").isEmpty();
            op.advanceTo(T0 + 5 * MIN);
            assertThat(op.alerts).hasSize(1);
            assertThat(op.alerts.get(0).rate().toMap()).containsEntry("count", 2L)
                    .containsEntry("window_end", "2024-05-01T10:05:00.000000000Z");
            assertThat(op.alerts.get(0).rate().toMap().get("group").toString()).isEqualTo("{sourceIPAddress=1.2.3.4}");
        }

        @Test
        void anEventMatchingTwoReferencedRulesCountsOnce() {
            String any = "---\ntitle: Any console login\nname: any_login\n" + LOGSOURCE
                    + "detection:\n  selection:\n    eventName: ConsoleLogin\n  condition: selection\n";
            RuleSet rs = rules(BASE + any + correlation("Logins", "type: event_count\nrules: [failed_login, any_login]\n"
                    + "group-by: [sourceIPAddress]\ntimespan: 5m\ncondition:\n  gte: 2\n"));
            List<Signal> signals = new ArrayList<>();
            rs.evaluate(failure("1.2.3.4", 0), rs.newContext(), signals);
            assertThat(signals).hasSize(1);
            assertThat(run(rs, failure("1.2.3.4", 0)).alerts).isEmpty();
        }
    }

    @Nested
    class ValueTypes {
        @Test
        void valueCountCountsDistinctValues() {
            String recon = "title: Recon call\nname: recon\n" + LOGSOURCE
                    + "detection:\n  selection:\n    eventName|startswith: [List, Describe, Get]\n  condition: selection\n";
            RuleSet rs = rules(recon + correlation("Many recon calls", "type: value_count\nrules: [recon]\n"
                    + "group-by: [userIdentity.arn]\ntimespan: 1m\ncondition:\n  field: eventName\n  gte: 3\n"));
            MiniOperator op = new MiniOperator(rs);
            String[] calls = {"ListUsers", "ListUsers", "ListRoles", "GetObject", "DescribeInstances"};
            for (int i = 0; i < calls.length; i++) {
                op.event(q("{'eventName':'" + calls[i] + "','eventTime':'" + time(i * 1000) + "','eventID':'e" + i
                        + "','userIdentity':{'arn':'arn:aws:iam::1:user/eve'}}"));
            }
            assertThat(op.alerts).hasSize(1);
            Alert a = op.alerts.get(0);
            assertThat(a.rate().toMap()).containsEntry("distinct", 3L)
                    .containsEntry("values", List.of("ListUsers", "ListRoles", "GetObject"));
            assertThat(a.output()).startsWith("Many recon calls: 3 distinct eventName values (ListUsers,ListRoles,"
                    + "GetObject) within 60s for userIdentity.arn=arn:aws:iam::1:user/eve");
        }

        @Test
        void valueSumAndAverage() {
            String get = "title: Object read\nname: object_read\n" + LOGSOURCE
                    + "detection:\n  selection:\n    eventName: GetObject\n  condition: selection\n";
            RuleSet sum = rules(get + correlation("Exfiltration volume", "type: value_sum\nrules: object_read\n"
                    + "group-by: [sourceIPAddress]\ntimespan: 1h\ncondition:\n  field: additionalEventData.bytesTransferredOut\n"
                    + "  gt: 1000000\n"));
            RuleSet avg = rules(get + correlation("Large reads", "type: value_avg\nrules: object_read\n"
                    + "group-by: [sourceIPAddress]\ntimespan: 1h\ncondition:\n  field: additionalEventData.bytesTransferredOut\n"
                    + "  gte: 400000\n"));
            MiniOperator s = new MiniOperator(sum);
            MiniOperator a = new MiniOperator(avg);
            long[] sizes = {300_000, 600_000, 200_000};
            for (int i = 0; i < sizes.length; i++) {
                CloudTrailEvent e = q("{'eventName':'GetObject','eventTime':'" + time(i * MIN) + "','sourceIPAddress':"
                        + "'9.9.9.9','additionalEventData':{'bytesTransferredOut':" + sizes[i] + "}}");
                s.event(e);
                a.event(e);
            }
            // sum: 300k, 900k, 1.1M (fires); average: 300k, 450k (fires), then suppressed for the burst
            assertThat(s.alerts).hasSize(1);
            assertThat(s.alerts.get(0).rate().toMap()).containsEntry("value", 1_100_000.0);
            assertThat(s.alerts.get(0).output()).startsWith("Exfiltration volume: sum of "
                    + "additionalEventData.bytesTransferredOut 1100000 within 3600s");
            assertThat(a.alerts).hasSize(1);
            assertThat(a.alerts.get(0).rate().toMap()).containsEntry("value", 450_000.0);
        }
    }

    @Nested
    class Temporal {
        static final String ORDERED = "type: temporal_ordered\nrules:\n  - failed_login\n  - successful_login\n"
                + "group-by:\n  - sourceIPAddress\ntimespan: 10m\n";

        @Test
        void orderedFiresForFailureThenSuccessButNotReversed() {
            RuleSet rs = rules(BASE + correlation("Failure then success", ORDERED));
            Rule rule = rs.rule("Failure then success");
            assertThat(rule.aggregate().type()).isEqualTo(AggregateType.TEMPORAL_ORDERED);
            assertThat(rule.aggregate().steps()).containsExactly("failed_login", "successful_login");
            assertThat(rule.aggregate().threshold().toString()).isEqualTo("gte 2");
            assertThat(rule.eventNames()).containsExactly("ConsoleLogin");
            MiniOperator op = run(rs, failure("1.2.3.4", 0), success("1.2.3.4", MIN));
            assertThat(op.firedRules()).containsExactly("Failure then success");
            assertThat(op.alerts.get(0).rate().toMap()).containsEntry("values",
                    List.of("failed_login", "successful_login")).containsEntry("event_ids", List.of("f0", "s60"));
            assertThat(op.alerts.get(0).output()).startsWith("Failure then success: rules in order "
                    + "(failed_login,successful_login) within 600s for sourceIPAddress=1.2.3.4; last event ConsoleLogin");
            assertThat(run(rs, success("1.2.3.4", 0), failure("1.2.3.4", MIN)).alerts).as("reversed").isEmpty();
            assertThat(run(rs, failure("1.2.3.4", 0), success("5.6.7.8", MIN)).alerts).as("other group").isEmpty();
            assertThat(run(rs, failure("1.2.3.4", 0), success("1.2.3.4", 10 * MIN)).alerts).as("too late").isEmpty();
        }

        @Test
        void unorderedTemporalAcceptsAnyOrder() {
            RuleSet rs = rules(BASE + correlation("Both", ORDERED.replace("temporal_ordered", "temporal")));
            assertThat(run(rs, success("1.2.3.4", 0), failure("1.2.3.4", MIN)).firedRules()).containsExactly("Both");
        }

        @Test
        void absenceWithLt() {
            RuleSet rs = rules(BASE + correlation("Failure not followed by success", ORDERED + "condition:\n  lt: 2\n"));
            MiniOperator op = run(rs, failure("1.2.3.4", 0), failure("5.6.7.8", 0), success("5.6.7.8", MIN));
            op.advanceTo(T0 + 10 * MIN);
            assertThat(op.alerts).hasSize(1);
            assertThat(op.alerts.get(0).rate().toMap().get("group").toString()).isEqualTo("{sourceIPAddress=1.2.3.4}");
        }

        @Test
        void aliasesGroupDifferentFieldsOfDifferentRules() {
            String rulesYaml = "title: Access key created\nname: key_created\n" + LOGSOURCE
                    + "detection:\n  selection:\n    eventName: CreateAccessKey\n  condition: selection\n---\n"
                    + "title: Key used from a new place\nname: key_used\n" + LOGSOURCE
                    + "detection:\n  selection:\n    eventName: GetCallerIdentity\n  condition: selection\n";
            RuleSet rs = rules(rulesYaml + correlation("New key used at once", "type: temporal_ordered\n"
                    + "rules: [key_created, key_used]\ngroup-by: [access_key]\ntimespan: 5m\naliases:\n  access_key:\n"
                    + "    key_created: responseElements.accessKey.accessKeyId\n"
                    + "    key_used: userIdentity.accessKeyId\n"));
            Rule r = rs.rule("New key used at once");
            assertThat(r.aggregate().inputs()).extracting(in -> in.groupBy().get(0).name())
                    .containsExactly("responseElements.accessKey.accessKeyId", "userIdentity.accessKeyId");
            CloudTrailEvent created = q("{'eventName':'CreateAccessKey','eventTime':'" + time(0) + "','eventID':'c1',"
                    + "'responseElements':{'accessKey':{'accessKeyId':'AKIA1'}}}");
            CloudTrailEvent used = q("{'eventName':'GetCallerIdentity','eventTime':'" + time(MIN) + "','eventID':'u1',"
                    + "'userIdentity':{'accessKeyId':'AKIA1'}}");
            CloudTrailEvent other = q("{'eventName':'GetCallerIdentity','eventTime':'" + time(MIN) + "','eventID':'u2',"
                    + "'userIdentity':{'accessKeyId':'AKIA2'}}");
            assertThat(run(rs, created, other).alerts).isEmpty();
            MiniOperator op = run(rs, created, used);
            assertThat(op.firedRules()).containsExactly("New key used at once");
            assertThat(op.alerts.get(0).rate().toMap().get("group").toString()).isEqualTo("{access_key=AKIA1}");
        }
    }

    @Nested
    class Chained {
        static final String CHAIN = "---\ntitle: Many failed logins\nid: 6b1a3d2e-0000-4000-8000-000000000077\n"
                + "name: many_failed_logins\ncorrelation:\n  type: event_count\n  rules:\n    - failed_login\n"
                + "  group-by:\n    - sourceIPAddress\n  timespan: 10m\n  condition:\n    gte: 3\n---\n"
                + "title: Brute force then success\nid: 6b1a3d2e-0000-4000-8000-000000000078\ncorrelation:\n"
                + "  type: temporal_ordered\n  rules:\n    - many_failed_logins\n    - successful_login\n"
                + "  group-by:\n    - sourceIPAddress\n  timespan: 10m\nlevel: critical\n";

        @Test
        void theInnerCorrelationFeedsTheOuterOneAndOnlyTheOuterAlerts() {
            RuleSet rs = rules(BASE + CHAIN);
            Rule inner = rs.rule("Many failed logins");
            Rule outer = rs.rule("Brute force then success");
            assertThat(inner.aggregate().alerts()).isFalse();
            assertThat(outer.aggregate().alerts()).isTrue();
            assertThat(rs.chainDepth()).isEqualTo(2);
            assertThat(rs.feedsChains(inner)).isTrue();
            AggregateInput chained = outer.aggregate().inputs().get(0);
            assertThat(chained.isChained()).isTrue();
            assertThat(chained.innerRule()).isEqualTo("Many failed logins");
            MiniOperator op = run(rs, failure("1.2.3.4", 0), failure("1.2.3.4", MIN), failure("1.2.3.4", 2 * MIN));
            assertThat(op.alerts).as("the inner correlation raises no alert").isEmpty();
            assertThat(op.chainedSignals).hasSize(1);
            Signal s = op.chainedSignals.get(0);
            assertThat(s.rule).isEqualTo("Brute force then success");
            assertThat(s.group).containsExactly("1.2.3.4");
            assertThat(s.value).isEqualTo("many_failed_logins");
            assertThat(s.time).isEqualTo(T0 + 2 * MIN);
            assertThat(s.eventId).isEqualTo("f120");
            op.event(success("5.6.7.8", 3 * MIN));
            assertThat(op.alerts).as("success from another address").isEmpty();
            op.event(success("1.2.3.4", 4 * MIN));
            assertThat(op.firedRules()).containsExactly("Brute force then success");
            Alert a = op.alerts.get(0);
            assertThat(a.rule().priority().display()).isEqualTo("Critical");
            assertThat(a.rate().toMap()).containsEntry("values", List.of("many_failed_logins", "successful_login"));
            assertThat(a.output()).contains("last event ConsoleLogin by arn:aws:iam::111122223333:user/alice");
        }

        @Test
        void successBeforeTheBruteForceDoesNotFire() {
            RuleSet rs = rules(BASE + CHAIN);
            MiniOperator op = run(rs, success("1.2.3.4", 0), failure("1.2.3.4", MIN), failure("1.2.3.4", 2 * MIN),
                    failure("1.2.3.4", 3 * MIN));
            assertThat(op.alerts).isEmpty();
        }

        @Test
        void chainedSignalsDirectly() {
            RuleSet rs = rules(BASE + CHAIN);
            Rule inner = rs.rule("Many failed logins");
            io.trailguard.rules.aggregate.WindowState st = new io.trailguard.rules.aggregate.WindowState();
            List<io.trailguard.rules.aggregate.Firing> firings = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                List<Signal> sig = new ArrayList<>();
                rs.evaluate(failure("1.2.3.4", i * MIN), rs.newContext(), sig);
                assertThat(sig).extracting(x -> x.rule).containsExactly("Many failed logins");
                firings.addAll(io.trailguard.rules.aggregate.RateWindow.add(st, inner.aggregate(),
                        io.trailguard.rules.aggregate.WindowEntry.of(sig.get(0))).firings);
            }
            assertThat(firings).hasSize(1);
            List<Signal> chained = rs.chainedSignals(inner, new String[] {"1.2.3.4"}, firings.get(0));
            assertThat(chained).hasSize(1);
            assertThat(chained.get(0).key()).isEqualTo(Signal.ruleTag("Brute force then success") + "\u00001.2.3.4");
            assertThat(chained.get(0).outputValues).containsExactly("ConsoleLogin",
                    "arn:aws:iam::111122223333:user/alice", "1.2.3.4", "us-east-1");
            assertThat(rs.chainedSignals(rs.rule("Brute force then success"), new String[] {"x"}, firings.get(0)))
                    .isEmpty();
        }

        @Test
        void theOuterGroupByMustBeCarriedByTheInnerCorrelation() {
            LoadResult r = load(BASE + CHAIN.replace("  group-by:\n    - sourceIPAddress\n  timespan: 10m\nlevel",
                    "  group-by:\n    - userIdentity.userName\n  timespan: 10m\nlevel"));
            assertThat(r.errors()).extracting(Diagnostic::message).singleElement().asString()
                    .contains("group-by 'userIdentity.userName' is not carried by the chained correlation");
        }

        @Test
        void generateOnTheOuterCorrelationLetsTheInnerAlert() {
            RuleSet rs = rules(BASE + CHAIN.replace("level: critical\n", "  generate: true\nlevel: critical\n"));
            assertThat(rs.rule("Many failed logins").aggregate().alerts()).isTrue();
            MiniOperator op = run(rs, failure("1.2.3.4", 0), failure("1.2.3.4", MIN), failure("1.2.3.4", 2 * MIN));
            assertThat(op.firedRules()).containsExactly("Many failed logins");
        }
    }

    @Nested
    class References {
        @Test
        void byIdNameOrTitle() {
            for (String ref : new String[] {"6b1a3d2e-0000-4000-8000-000000000001", "failed_login",
                "'Failed console login'"}) {
                RuleSet rs = rules(BASE + correlation("C", "type: event_count\nrules: [" + ref + "]\ntimespan: 5m\n"
                        + "condition:\n  gte: 2\n"));
                assertThat(run(rs, failure("1.2.3.4", 0), failure("1.2.3.4", MIN)).firedRules()).as(ref)
                        .containsExactly("C");
            }
        }

        @Test
        void referencesAcrossFiles() {
            LoadResult r = io.trailguard.rules.loader.RuleLoader.load(List.of(
                    new io.trailguard.rules.source.RuleSource("base.yml", BASE),
                    new io.trailguard.rules.source.RuleSource("corr.yml", BRUTE_FORCE.substring(4))),
                    io.trailguard.rules.loader.LoadOptions.defaults());
            assertThat(r.errors()).isEmpty();
            assertThat(r.ruleSet().rule("Brute force from one address")).isNotNull();
        }

        @Test
        void aCorrelationOverASkippedRuleIsSkippedWithAWarning() {
            String win = "---\ntitle: Windows\nname: win\nlogsource:\n  product: windows\n"
                    + "detection:\n  s:\n    EventID: 4625\n  condition: s\n";
            LoadResult r = load(BASE + win + correlation("Cross", "type: event_count\nrules: [win]\ntimespan: 5m\n"
                    + "condition:\n  gte: 2\n"));
            assertThat(r.errors()).isEmpty();
            assertThat(r.ruleSet().rule("Cross")).isNull();
            assertThat(r.warnings()).extracting(Diagnostic::message)
                    .anySatisfy(m -> assertThat(m).contains("Sigma correlation").contains("skipped: it references rule "
                            + "win (Windows), which was skipped"));
        }
    }

    @Nested
    class Errors {
        String error(String body) {
            LoadResult r = load(BASE + correlation("Bad", body));
            assertThat(r.ok()).as("expected an error").isFalse();
            return r.errors().stream().map(Diagnostic::toString).collect(Collectors.joining("\n"));
        }

        @Test
        void aMalformedSectionIsReportedBeforeItsReferencesAreResolved() {
            assertThat(error("type: event_count\nrules: [no_such_rule]\ntimespan: 5 minutes\ncondition:\n  gte: 2\n"))
                    .contains("invalid timespan '5 minutes'").doesNotContain("unknown rule reference");
        }

        @Test
        void invalidCorrelationsAreErrorsWithPositions() {
            assertThat(error("type: event_count\nrules: [nope]\ntimespan: 5m\ncondition:\n  gte: 2\n"))
                    .matches("(?s)test.yml:\\d+:\\d+: Sigma correlation .*unknown rule reference 'nope'.*");
            assertThat(error("type: event_count\nrules: [failed_login]\ncondition:\n  gte: 2\n"))
                    .contains("needs a 'timespan'");
            assertThat(error("type: event_count\nrules: [failed_login]\ntimespan: 5 minutes\ncondition:\n  gte: 2\n"))
                    .contains("invalid timespan '5 minutes'");
            assertThat(error("type: event_counts\nrules: [failed_login]\ntimespan: 5m\ncondition:\n  gte: 2\n"))
                    .contains("unknown correlation type 'event_counts'");
            assertThat(error("type: value_percentile\nrules: [failed_login]\ntimespan: 5m\ncondition:\n  field: x\n"
                    + "  percentile: 101\n  gte: 2\n")).contains("'101' is no valid Sigma correlation condition percentile");
            assertThat(error("type: temporal\nrules: [failed_login, successful_login]\ntimespan: 5m\n"
                    + "condition: failed_login and not successful_login\n")).contains("extended (boolean expression)");
            assertThat(error("type: event_count\nrules: [failed_login]\ntimespan: 5m\n")).contains("needs a 'condition'");
            assertThat(error("type: event_count\nrules: [failed_login]\ntimespan: 5m\ncondition:\n  gte: 2\n  lt: 9\n"
                    + "  neq: 4\n")).contains("found 3");
            assertThat(error("type: event_count\nrules: [failed_login]\ntimespan: 5m\ncondition:\n  gte: many\n"))
                    .contains("condition gte must be a number");
            assertThat(error("type: value_count\nrules: [failed_login]\ntimespan: 5m\ncondition:\n  gte: 2\n"))
                    .contains("needs 'field'");
            assertThat(error("type: event_count\nrules: [failed_login]\ntimespan: 5m\ncondition:\n  gte: 20000\n"))
                    .contains("event_count thresholds above 10000");
            assertThat(error("type: temporal\nrules: [failed_login]\ngroup-by: [ip]\ntimespan: 5m\naliases:\n"
                    + "  ip:\n    stranger: sourceIPAddress\n")).contains("'stranger' is not one of the correlated rules");
        }

        @Test
        void cyclesAreRefused() {
            String loop = "---\ntitle: A\nname: a\ncorrelation:\n  type: event_count\n  rules: [b]\n  timespan: 5m\n"
                    + "  condition:\n    gte: 2\n---\ntitle: B\nname: b\ncorrelation:\n  type: event_count\n  rules: [a]\n"
                    + "  timespan: 5m\n  condition:\n    gte: 2\n";
            LoadResult r = load(BASE + loop);
            assertThat(r.ok()).isFalse();
            assertThat(r.errors()).extracting(Diagnostic::message).anySatisfy(m -> assertThat(m).contains("loops back"));
        }

        @Test
        void fingerprintsFollowTheDefinitionOfEverythingReferenced() {
            String fp1 = rules(BASE + BRUTE_FORCE).rule("Brute force from one address").fingerprint();
            String fp2 = rules(BASE + BRUTE_FORCE).rule("Brute force from one address").fingerprint();
            String fp3 = rules(BASE.replace("Failure\n", "'Failure '\n") + BRUTE_FORCE)
                    .rule("Brute force from one address").fingerprint();
            assertThat(fp1).hasSize(16).isEqualTo(fp2).isNotEqualTo(fp3);
        }
    }

    @Test
    void snapshotAndRestoreMidWindowGiveTheSameAlerts() {
        RuleSet rs = rules(BASE + BRUTE_FORCE + correlation("Failure then success",
                Temporal.ORDERED + "condition:\n  gte: 2\n") + correlation("Too few",
                "type: event_count\nrules: [failed_login]\ngroup-by: [sourceIPAddress]\ntimespan: 5m\n"
                        + "condition:\n  lt: 3\n"));
        CloudTrailEvent[] first = {failure("1.2.3.4", 0), failure("1.2.3.4", MIN), failure("5.6.7.8", MIN)};
        CloudTrailEvent[] second = {failure("1.2.3.4", 2 * MIN), success("1.2.3.4", 3 * MIN)};
        MiniOperator straight = run(rs, first);
        for (CloudTrailEvent e : second) {
            straight.event(e);
        }
        straight.advanceTo(T0 + 20 * MIN);

        MiniOperator before = run(rs, first);
        assertThat(before.alerts).isEmpty();
        String snapshot = before.snapshot();
        MiniOperator after = MiniOperator.restore(rs, snapshot);
        assertThat(after.state.windows).hasSameSizeAs(before.state.windows);
        for (CloudTrailEvent e : second) {
            after.event(e);
        }
        after.advanceTo(T0 + 20 * MIN);
        assertThat(after.firedRules()).isEqualTo(straight.firedRules())
                .containsExactlyInAnyOrder("Brute force from one address", "Failure then success", "Too few");
        assertThat(after.alerts.stream().map(Alert::toJson).collect(Collectors.toList()))
                .isEqualTo(straight.alerts.stream().map(Alert::toJson).collect(Collectors.toList()));
    }
}

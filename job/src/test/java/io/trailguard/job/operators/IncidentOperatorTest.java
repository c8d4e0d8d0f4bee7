package io.trailguard.job.operators;

import io.trailguard.job.bundle.BundleFile;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.serde.IncidentTypes;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.IncidentMember;
import io.trailguard.rules.engine.IncidentSummary;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.incident.Actor;
import io.trailguard.rules.incident.Evidence;
import io.trailguard.rules.incident.IncidentPolicy;
import io.trailguard.job.bundle.ActiveRules;
import io.trailguard.job.bundle.BundleVerifier;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The keyed incident stage with Flink's harness: raising, updates in place, restore, lateness, gap, reload. */
class IncidentOperatorTest {
    static final long MIN = 60_000L;
    static final long T0 = 1_700_000_000_000L;
    static final String ALICE = "arn:aws:iam::111122223333:user/alice";
    static final String RULE = "- rule: r\n  desc: d\n  condition: ct.name = X\n  output: o\n  priority: NOTICE\n"
            + "  source: aws_cloudtrail\n";

    static RuleBundle bundle(String version, String lists) {
        return RuleBundle.of(version, "2026-01-01T00:00:00Z",
                List.of(new BundleFile("rules.yaml", RULE + lists)), "shardId-000000000000:" + version.length());
    }

    static Evidence ev(String principal, String rule, Priority p, long minutes, String tactic, String technique) {
        return new Evidence(rule, p, "ev-" + rule.replace(' ', '-') + "-" + minutes, T0 + minutes * MIN,
                "finding-" + rule, new Actor(principal, "AKIAEXAMPLE", null, "203.0.113.7"), "111122223333",
                "us-east-1", List.of(tactic), List.of(technique));
    }

    /** Four alerts of alice that cross the default thresholds at the fourth (see IncidentSequenceTest). */
    static List<Evidence> attack(String principal, long from) {
        return List.of(ev(principal, "Discovery Burst", Priority.WARNING, from, "discovery", "t1580"),
                ev(principal, "Secrets Burst", Priority.WARNING, from + 1, "credential-access", "t1552"),
                ev(principal, "User Created", Priority.NOTICE, from + 2, "persistence", "t1136.003"),
                ev(principal, "Trail Stopped", Priority.CRITICAL, from + 3, "defense-impairment", "t1685.002"));
    }

    static KeyedBroadcastOperatorTestHarness<String, Evidence, RuleBundle, Alert> harness(RuleBundle startup,
            boolean bounded, OperatorSubtaskState restore) throws Exception {
        CoBroadcastWithKeyedOperator<String, Evidence, RuleBundle, Alert> operator = new CoBroadcastWithKeyedOperator<>(
                new IncidentOperator(new ActiveRules(startup, MatchingMode.ALL, BundleVerifier.none()), bounded, 10 * MIN),
                Collections.singletonList(Descriptors.RULES));
        KeyedBroadcastOperatorTestHarness<String, Evidence, RuleBundle, Alert> h =
                new KeyedBroadcastOperatorTestHarness<>(operator, (KeySelector<Evidence, String>) Evidence::key,
                        Types.STRING, 1, 1, 0);
        DetectionPipeline.registerTypes(h.getExecutionConfig());
        h.setup();
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        operator.processWatermarkStatus2(WatermarkStatus.IDLE);
        if (!bounded) {
            LIVE.put(h, Long.MIN_VALUE);
        }
        return h;
    }

    /** Streaming harnesses: their watermark follows the events (an in-order stream). */
    private static final java.util.Map<Object, Long> LIVE = new java.util.IdentityHashMap<>();

    static void send(KeyedBroadcastOperatorTestHarness<String, Evidence, RuleBundle, Alert> h, Evidence e)
            throws Exception {
        h.processElement(new StreamRecord<>(e, e.timeMillis()));
        Long watermark = LIVE.get(h);
        if (watermark != null && e.timeMillis() > watermark) {
            LIVE.put(h, e.timeMillis());
            h.processWatermark(new Watermark(e.timeMillis()));
        }
    }

    static List<IncidentSummary> incidents(KeyedBroadcastOperatorTestHarness<String, Evidence, RuleBundle, Alert> h) {
        return h.extractOutputValues().stream().map(Alert::incident).collect(Collectors.toList());
    }

    @Test
    void anIncidentIsRaisedOnceTheEvidenceIsEnoughAndThenUpdatedInPlace() throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, Evidence, RuleBundle, Alert> h = harness(bundle("v1", ""),
                false, null)) {
            List<Evidence> attack = attack(ALICE, 0);
            for (int i = 0; i < 3; i++) {
                send(h, attack.get(i));
            }
            assertThat(h.extractOutputValues()).isEmpty();
            send(h, attack.get(3));
            send(h, ev(ALICE, "Admin Attached", Priority.WARNING, 10, "privilege-escalation", "t1098.003"));
            send(h, ev(ALICE, "Bucket Shared", Priority.WARNING, 20, "exfiltration", "t1537"));
            // another principal's lone alert is no incident
            send(h, ev("arn:aws:iam::111122223333:user/bob", "Bucket Shared", Priority.WARNING, 20, "exfiltration",
                    "t1537"));
            List<IncidentSummary> out = incidents(h);
            assertThat(out).extracting(IncidentSummary::version).containsExactly(1, 2, 3);
            assertThat(out).extracting(IncidentSummary::id).containsOnly(out.get(0).id());
            assertThat(out).extracting(s -> s.members().size()).containsExactly(4, 5, 6);
            IncidentSummary last = out.get(2);
            assertThat(last.principal()).isEqualTo(ALICE);
            assertThat(last.firstMillis()).isEqualTo(T0);
            assertThat(last.lastMillis()).isEqualTo(T0 + 20 * MIN);
            assertThat(last.members()).extracting(IncidentMember::findingId).contains("finding-Trail Stopped");
            Alert a = h.extractOutputValues().get(2);
            assertThat(a.rule().name()).isEqualTo(IncidentPolicy.RULE);
            assertThat(a.rule().priority()).isEqualTo(Priority.CRITICAL);
            assertThat(a.subject().principalArn()).isEqualTo(ALICE);
            assertThat(a.event().timeMillis()).isEqualTo(T0 + 20 * MIN);
        }
    }

    @Test
    void aRestoredStageKeepsTheOpenIncident() throws Exception {
        RuleBundle b = bundle("v1", "");
        OperatorSubtaskState snapshot;
        String id;
        try (KeyedBroadcastOperatorTestHarness<String, Evidence, RuleBundle, Alert> h = harness(b, false, null)) {
            for (Evidence e : attack(ALICE, 0)) {
                send(h, e);
            }
            id = incidents(h).get(0).id();
            snapshot = h.snapshot(1, T0 + 4 * MIN);
        }
        try (KeyedBroadcastOperatorTestHarness<String, Evidence, RuleBundle, Alert> h = harness(b, false, snapshot)) {
            send(h, ev(ALICE, "Admin Attached", Priority.WARNING, 10, "privilege-escalation", "t1098.003"));
            List<IncidentSummary> out = incidents(h);
            assertThat(out).hasSize(1);
            assertThat(out.get(0).id()).isEqualTo(id);
            assertThat(out.get(0).version()).isEqualTo(2);
            assertThat(out.get(0).members()).extracting(IncidentMember::rule).containsExactly("Discovery Burst",
                    "Secrets Burst", "User Created", "Trail Stopped", "Admin Attached");
        }
    }

    @Test
    void aSequenceEndsAfterTheGapAndALateAlertIsADeadLetter() throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, Evidence, RuleBundle, Alert> h = harness(bundle("v1", ""),
                false, null)) {
            for (Evidence e : attack(ALICE, 0)) {
                send(h, e);
            }
            String first = incidents(h).get(0).id();
            // 30 min gap + 10 min lateness after the last alert (minute 3): the sequence is gone
            h.processWatermark(new Watermark(T0 + 44 * MIN));
            LIVE.put(h, T0 + 44 * MIN);
            send(h, ev(ALICE, "Late Alert", Priority.NOTICE, 20, "discovery", "t1526"));
            List<DeadLetter> dead = h.getSideOutput(Descriptors.DEAD_LETTERS).stream().map(r -> r.getValue())
                    .collect(Collectors.toList());
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).reason()).startsWith("late alert for the incident stage: rule 'Late Alert'");
            assertThat(dead.get(0).origin()).isEqualTo("incident:" + ALICE);
            for (Evidence e : attack(ALICE, 45)) {
                send(h, e);
            }
            List<IncidentSummary> out = incidents(h);
            assertThat(out).hasSize(2);
            assertThat(out.get(1).id()).isNotEqualTo(first);
            assertThat(out.get(1).members()).hasSize(4);
        }
    }

    @Test
    void boundedModeGivesTheSameIncidentsWhateverTheArrivalOrder() throws Exception {
        List<Evidence> input = new ArrayList<>(attack(ALICE, 0));
        input.add(ev(ALICE, "Admin Attached", Priority.WARNING, 10, "privilege-escalation", "t1098.003"));
        List<List<IncidentSummary>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            List<Evidence> order = new ArrayList<>(input);
            if (run == 1) {
                Collections.reverse(order);
            }
            try (KeyedBroadcastOperatorTestHarness<String, Evidence, RuleBundle, Alert> h = harness(bundle("v1", ""),
                    true, null)) {
                for (Evidence e : order) {
                    send(h, e);
                }
                assertThat(h.extractOutputValues()).isEmpty(); // until the end of input
                h.processWatermark(new Watermark(Long.MAX_VALUE));
                runs.add(incidents(h));
            }
        }
        assertThat(runs.get(0)).extracting(IncidentSummary::version).containsExactly(1, 2);
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
    }

    @Test
    void aNewBundleChangesThePolicy() throws Exception {
        try (KeyedBroadcastOperatorTestHarness<String, Evidence, RuleBundle, Alert> h = harness(bundle("v1", ""),
                false, null)) {
            h.processBroadcastElement(new StreamRecord<>(bundle("v2-strict",
                    "- list: incident_min_tactics\n  items: [\"5\"]\n"), 0));
            for (Evidence e : attack(ALICE, 0)) {
                send(h, e);
            }
            assertThat(h.extractOutputValues()).as("four tactics are not enough now").isEmpty();
            send(h, ev(ALICE, "Admin Attached", Priority.WARNING, 10, "privilege-escalation", "t1098.003"));
            assertThat(incidents(h)).extracting(s -> s.tactics().size()).containsExactly(5);
        }
    }
}

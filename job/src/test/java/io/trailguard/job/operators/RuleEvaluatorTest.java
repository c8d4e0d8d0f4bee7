package io.trailguard.job.operators;

import io.trailguard.job.TestEvents;
import io.trailguard.job.TestRules;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.bundle.RuleStatus;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.serde.Evaluated;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.event.DeadLetter;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The evaluator's rule switching, rejection, restore and dead letters, with Flink's broadcast test harness. */
class RuleEvaluatorTest {
    private static final RuleBundle V2 = TestRules.basePlus("v2", "changes.yaml",
            TestRules.DISABLE_CREATE_USER + TestRules.ACCESS_KEY_RULE).withOrigin("shardId-000000000000:200");
    private static final RuleBundle BROKEN = TestRules.basePlus("v3", "broken.yaml", TestRules.BROKEN_RULE)
            .withOrigin("shardId-000000000000:300");

    static BroadcastOperatorTestHarness<RawRecord, RuleBundle, Evaluated> harness(RuleBundle startup,
                                                                                   OperatorSubtaskState restore)
            throws Exception {
        BroadcastOperatorTestHarness<RawRecord, RuleBundle, Evaluated> h = new BroadcastOperatorTestHarness<>(
                new CoBroadcastWithNonKeyedOperator<>(new RuleEvaluator(startup, MatchingMode.ALL),
                        Collections.singletonList(Descriptors.RULES)), 1, 1, 0);
        DetectionPipeline.registerTypes(h.getExecutionConfig());
        h.setup();
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    static List<String> rulesFired(BroadcastOperatorTestHarness<RawRecord, RuleBundle, Evaluated> h) {
        List<String> names = new ArrayList<>();
        for (Object o : h.getOutput()) {
            @SuppressWarnings("unchecked")
            Evaluated e = ((StreamRecord<Evaluated>) o).getValue();
            e.alerts.forEach(a -> names.add(a.rule() + "@" + e.eventKey));
        }
        h.getOutput().clear();
        return names;
    }

    static List<RuleStatus> statuses(BroadcastOperatorTestHarness<RawRecord, RuleBundle, Evaluated> h) {
        if (h.getSideOutput(Descriptors.RULE_STATUS) == null) {
            return Collections.emptyList();
        }
        List<RuleStatus> s = h.getSideOutput(Descriptors.RULE_STATUS).stream().map(StreamRecord::getValue)
                .collect(Collectors.toList());
        h.getSideOutput(Descriptors.RULE_STATUS).clear();
        return s;
    }

    @Test
    void startsWithTheStartupRulesAndSwitchesToAcceptedBundles() throws Exception {
        try (BroadcastOperatorTestHarness<RawRecord, RuleBundle, Evaluated> h = harness(TestRules.base(), null)) {
            h.processElement(TestEvents.raw(TestEvents.createUser("e1"), "s:1"), 1);
            h.processElement(TestEvents.raw(TestEvents.createAccessKey("e2"), "s:2"), 1);
            assertThat(rulesFired(h)).containsExactly("Create IAM User@e1");
            assertThat(statuses(h)).singleElement().satisfies(s -> {
                assertThat(s.status()).isEqualTo(RuleStatus.ACTIVE);
                assertThat(s.hash()).isEqualTo(TestRules.base().hash());
            });

            h.processBroadcastElement(V2, 2);
            assertThat(statuses(h)).singleElement().satisfies(s -> {
                assertThat(s.isAccepted()).isTrue();
                assertThat(s.version()).isEqualTo("v2");
                assertThat(s.ruleCount()).isGreaterThan(0);
                assertThat(s.subtask()).isZero();
            });
            assertThat(h.getBroadcastState(Descriptors.RULES).get(Descriptors.ACTIVE_HASH)).isEqualTo(V2.hash());
            h.processElement(TestEvents.raw(TestEvents.createUser("e3"), "s:3"), 3);
            h.processElement(TestEvents.raw(TestEvents.createAccessKey("e4"), "s:4"), 3);
            assertThat(rulesFired(h)).containsExactly("Access Key Created@e4");
        }
    }

    @Test
    void invalidBundlesAreRejectedAndThePreviousRulesKeepRunning() throws Exception {
        try (BroadcastOperatorTestHarness<RawRecord, RuleBundle, Evaluated> h = harness(TestRules.base(), null)) {
            h.processBroadcastElement(V2, 1);
            statuses(h);
            h.processBroadcastElement(BROKEN, 2);
            assertThat(statuses(h)).singleElement().satisfies(s -> {
                assertThat(s.isRejected()).isTrue();
                assertThat(s.version()).isEqualTo("v3");
                assertThat(s.errors()).isNotEmpty().allSatisfy(e -> assertThat(e).matches("broken\\.yaml:3:\\d+: .*"));
                assertThat(s.toJson()).contains("\"type\":\"rule_status\"", "\"status\":\"rejected\"");
            });
            RuleBundle tampered = RuleBundle.fromStateJson(TestRules.base().toStateJson()
                    .replace("\"version\":\"base\"", "\"version\":\"tampered\"")
                    .replace("CRITICAL", "INFO"));
            h.processBroadcastElement(tampered, 3);
            assertThat(statuses(h)).singleElement().satisfies(s ->
                    assertThat(s.errors()).singleElement().asString().startsWith("hash mismatch"));
            assertThat(h.getBroadcastState(Descriptors.RULES).get(Descriptors.ACTIVE_HASH)).isEqualTo(V2.hash());
            h.processElement(TestEvents.raw(TestEvents.createAccessKey("e1"), "s:1"), 4);
            assertThat(rulesFired(h)).containsExactly("Access Key Created@e1");
        }
    }

    @Test
    void restoredStateWinsOverTheStartupBundle() throws Exception {
        OperatorSubtaskState snapshot;
        try (BroadcastOperatorTestHarness<RawRecord, RuleBundle, Evaluated> h = harness(TestRules.base(), null)) {
            h.processBroadcastElement(V2, 1);
            snapshot = h.snapshot(1L, 1L);
        }
        try (BroadcastOperatorTestHarness<RawRecord, RuleBundle, Evaluated> h =
                     harness(TestRules.base(), snapshot)) {
            h.processElement(TestEvents.raw(TestEvents.createUser("e1"), "s:1"), 2);
            h.processElement(TestEvents.raw(TestEvents.createAccessKey("e2"), "s:2"), 2);
            assertThat(rulesFired(h)).containsExactly("Access Key Created@e2");
            assertThat(statuses(h)).singleElement().satisfies(s -> {
                assertThat(s.status()).isEqualTo(RuleStatus.ACTIVE);
                assertThat(s.hash()).isEqualTo(V2.hash());
                assertThat(s.detail()).isEqualTo("restored from checkpoint");
            });
        }
    }

    @Test
    void bundlesOlderThanTheStartupBundleAreSkippedUntilStateHasOne() throws Exception {
        RuleBundle startup = V2;
        RuleBundle older = TestRules.base().withOrigin("shardId-000000000000:100");
        try (BroadcastOperatorTestHarness<RawRecord, RuleBundle, Evaluated> h = harness(startup, null)) {
            h.processBroadcastElement(older, 1);
            assertThat(statuses(h)).isEmpty();
            assertThat(h.getBroadcastState(Descriptors.RULES).get(Descriptors.ACTIVE_HASH)).isNull();
            h.processBroadcastElement(V2, 2);
            assertThat(statuses(h)).singleElement().satisfies(s -> assertThat(s.detail())
                    .isEqualTo("same rules as the active bundle"));
            h.processBroadcastElement(TestRules.base().withOrigin("shardId-000000000000:400"), 3);
            assertThat(statuses(h)).singleElement().satisfies(s -> assertThat(s.isAccepted()).isTrue());
            h.processElement(TestEvents.raw(TestEvents.createUser("e1"), "s:1"), 4);
            assertThat(rulesFired(h)).containsExactly("Create IAM User@e1");
        }
    }

    @Test
    void badInputBecomesDeadLettersWithOriginAndReason() throws Exception {
        try (BroadcastOperatorTestHarness<RawRecord, RuleBundle, Evaluated> h = harness(TestRules.base(), null)) {
            h.processElement(TestEvents.raw("this is not json", "shardId-1:77"), 1);
            h.processElement(RawRecord.failed("logs/x.json.gz", "corrupt or truncated gzip data: boom", null), 1);
            h.processElement(TestEvents.raw("{\"Records\":[{\"eventName\":\"CreateUser\",\"eventSource\":"
                    + "\"iam.amazonaws.com\",\"eventTime\":\"2026-01-01T00:00:00Z\"}, 5]}", "shardId-1:78"), 1);
            List<DeadLetter> dead = h.getSideOutput(Descriptors.DEAD_LETTERS).stream().map(StreamRecord::getValue)
                    .collect(Collectors.toList());
            assertThat(dead).hasSize(3);
            assertThat(dead.get(0).origin()).isEqualTo("shardId-1:77");
            assertThat(dead.get(0).reason()).isNotEmpty();
            assertThat(dead.get(0).excerpt()).isEqualTo("this is not json");
            assertThat(dead.get(1).reason()).startsWith("corrupt or truncated gzip data");
            assertThat(dead.get(2).origin()).isEqualTo("shardId-1:78#/Records/1");
            List<String> fired = rulesFired(h);
            assertThat(fired).singleElement().asString().startsWith("Create IAM User@sha256:");
        }
    }

    @Test
    void recordsWithoutEventIdAreKeyedByContent() throws Exception {
        try (BroadcastOperatorTestHarness<RawRecord, RuleBundle, Evaluated> h = harness(TestRules.base(), null)) {
            com.fasterxml.jackson.databind.node.ObjectNode r = TestEvents.createUser(null);
            h.processElement(TestEvents.raw(r, "a"), 1);
            h.processElement(TestEvents.raw(r, "b"), 1);
            h.processElement(TestEvents.raw(TestEvents.createUser(null), "c"), 1);
            List<String> fired = rulesFired(h);
            assertThat(fired).hasSize(3);
            assertThat(fired.get(0)).startsWith("Create IAM User@sha256:").isEqualTo(fired.get(1))
                    .isNotEqualTo(fired.get(2));
        }
    }
}

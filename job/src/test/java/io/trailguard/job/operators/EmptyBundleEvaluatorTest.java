package io.trailguard.job.operators;

import io.trailguard.job.TestEvents;
import io.trailguard.job.TestRules;
import io.trailguard.job.bundle.BundleFile;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.bundle.RuleStatus;
import io.trailguard.job.serde.Evaluated;
import io.trailguard.job.serde.RawRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.Collections;

import static io.trailguard.job.operators.RuleEvaluatorTest.harness;
import static io.trailguard.job.operators.RuleEvaluatorTest.rulesFired;
import static io.trailguard.job.operators.RuleEvaluatorTest.statuses;
import static org.assertj.core.api.Assertions.assertThat;

/** The running job refuses a bundle without enabled rules and accepts an intentionally empty one, loudly. */
class EmptyBundleEvaluatorTest {
    static final String DISABLED = String.join("\n",
            "- rule: Switched Off", "  desc: d", "  condition: ct.name = \"CreateUser\"", "  output: o",
            "  priority: INFO", "  source: aws_cloudtrail", "  enabled: false", "");

    @Test
    void aBundleWithoutEnabledRulesIsRejectedAndDetectionGoesOn() throws Exception {
        RuleBundle none = RuleBundle.of("v-none", null,
                Collections.singletonList(new BundleFile("off.yaml", DISABLED)), "shardId-000000000000:200");
        try (BroadcastOperatorTestHarness<RawRecord, RuleBundle, Evaluated> h = harness(TestRules.base(), null)) {
            h.processBroadcastElement(none, 1);
            assertThat(statuses(h)).singleElement().satisfies(s -> {
                assertThat(s.isRejected()).isTrue();
                assertThat(s.errors()).containsExactly("bundle v-none has no enabled rules: the files given were "
                        + "off.yaml; use publish --allow-empty to disable detection on purpose");
            });
            assertThat(h.getBroadcastState(Descriptors.RULES).get(Descriptors.ACTIVE_HASH)).isNull();
            h.processElement(TestEvents.raw(TestEvents.createUser("e1"), "s:1"), 2);
            assertThat(rulesFired(h)).containsExactly("Create IAM User@e1");
        }
    }

    @Test
    void anIntentionallyEmptyBundleIsAcceptedSayingDetectionIsDisabled() throws Exception {
        RuleBundle off = RuleBundle.intentionallyEmpty("v-off", null, Collections.emptyList(),
                "shardId-000000000000:300");
        try (BroadcastOperatorTestHarness<RawRecord, RuleBundle, Evaluated> h = harness(TestRules.base(), null)) {
            h.processBroadcastElement(off, 1);
            assertThat(statuses(h)).singleElement().satisfies(s -> {
                assertThat(s.status()).isEqualTo(RuleStatus.ACCEPTED);
                assertThat(s.ruleCount()).isZero();
                assertThat(s.detail()).startsWith("DETECTION IS DISABLED: bundle v-off is intentionally empty");
                assertThat(s.toJson()).contains("\"rules\":0", "DETECTION IS DISABLED");
            });
            h.processElement(TestEvents.raw(TestEvents.createUser("e1"), "s:1"), 2);
            assertThat(rulesFired(h)).isEmpty();
            // a bundle with rules turns detection back on
            h.processBroadcastElement(TestRules.base().withOrigin("shardId-000000000000:400"), 3);
            h.processElement(TestEvents.raw(TestEvents.createUser("e2"), "s:2"), 4);
            assertThat(rulesFired(h)).containsExactly("Create IAM User@e2");
        }
    }
}

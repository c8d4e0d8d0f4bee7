package io.trailguard.job.operators;

import io.trailguard.job.TestEvents;
import io.trailguard.job.TestRules;
import io.trailguard.job.bundle.ActiveRules;
import io.trailguard.job.bundle.BundleFile;
import io.trailguard.job.bundle.BundleSigner;
import io.trailguard.job.bundle.BundleVerifier;
import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.bundle.RuleStatus;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.serde.Evaluated;
import io.trailguard.job.serde.JobJson;
import io.trailguard.job.serde.RateKeyTypeInfo;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.event.DeadLetter;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With bundles.require_signature, the evaluator and a rate-rule stage refuse the same unsigned, wrongly signed and
 * tampered bundles: the evaluator reports {@code rejected} naming the reason, both keep the last accepted rules, and
 * those rules keep firing.
 */
class SignedBundlesOperatorTest {
    private static final SecretKeySpec KEY = new SecretKeySpec(
            "operator-test-hmac-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    private static final SecretKeySpec WRONG = new SecretKeySpec(
            "some-other-key-0123456789abcdef-0123456789".getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    private static final BundleVerifier VERIFIER = BundleVerifier.withKey(true, KEY);
    private static final long T0 = 1_700_000_000_000L;

    private static final String BURST = "- rule: Burst\n  desc: d\n  condition: ct.name = \"ConsoleLogin\"\n"
            + "  aggregate:\n    type: event_count\n    group_by: [ct.srcip]\n    timespan: 5m\n    gte: 3\n"
            + "  output: '%aggregate.count logins'\n  priority: WARNING\n  source: aws_cloudtrail\n";

    private static RuleBundle bundle(String version, String origin, String... nameAndContent) {
        List<BundleFile> files = new ArrayList<>();
        files.add(new BundleFile("base.yaml", TestRules.BASE_RULES));
        files.add(new BundleFile("rate.yaml", BURST));
        for (int i = 0; i < nameAndContent.length; i += 2) {
            files.add(new BundleFile(nameAndContent[i], nameAndContent[i + 1]));
        }
        return RuleBundle.of(version, "2026-01-01T00:00:00Z", files, origin);
    }

    @Test
    void evaluatorAndRateStageRefuseTheSameBundlesAndTheOldRulesKeepFiring() throws Exception {
        RuleBundle startup = bundle("base", "rules.path");
        RuleBundle v2 = BundleSigner.hmac(KEY, "k1").sign(
                bundle("v2", "shardId-0:200", "changes.yaml", TestRules.ACCESS_KEY_RULE));
        // an attacker with write access to the control stream, no key: disable rules
        RuleBundle unsigned = bundle("evil-unsigned", "shardId-0:300", "off.yaml", TestRules.DISABLE_CREATE_USER);
        RuleBundle wrongKey = BundleSigner.hmac(WRONG, "k1").sign(
                bundle("evil-wrong-key", "shardId-0:301", "off.yaml", TestRules.DISABLE_CREATE_USER));
        // v2's signature replayed onto other content with a recomputed hash
        RuleBundle other = bundle("v2", "shardId-0:302", "changes.yaml", TestRules.ACCESS_KEY_RULE, "off.yaml",
                TestRules.DISABLE_CREATE_USER);
        RuleBundle tampered = RuleBundle.fromStateJson(v2.toStateJson()
                .replace(v2.hash(), other.hash())
                .replace("\"files\":[", "\"files\":[{\"name\":\"off.yaml\",\"content\":"
                        + JobJson.mapper().writeValueAsString(TestRules.DISABLE_CREATE_USER) + "},"))
                .withOrigin("shardId-0:302");
        assertThat(tampered.hashMatches()).as("the attacker recomputed the hash").isFalse();
        RuleBundle tamperedRehashed = RuleBundle.of("v2", "2026-01-01T00:00:00Z", reorder(tampered.files()),
                "shardId-0:303").withSignature(v2.signature());
        assertThat(tamperedRehashed.hashMatches()).isTrue();
        List<RuleBundle> attacks = Arrays.asList(unsigned, wrongKey, tampered, tamperedRehashed);

        try (BroadcastOperatorTestHarness<RawRecord, RuleBundle, Evaluated> ev = evaluator(startup);
             KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> rate = rate(startup)) {
            ev.processBroadcastElement(v2, 1);
            rate.processBroadcastElement(v2, 1);
            assertThat(RuleEvaluatorTest.statuses(ev)).singleElement()
                    .satisfies(s -> assertThat(s.isAccepted()).isTrue());
            long t = 2;
            for (RuleBundle attack : attacks) {
                ev.processBroadcastElement(attack, t);
                rate.processBroadcastElement(attack, t++);
            }
            List<RuleStatus> rejected = RuleEvaluatorTest.statuses(ev);
            assertThat(rejected).hasSize(4).allSatisfy(s -> {
                assertThat(s.isRejected()).isTrue();
                assertThat(s.detail()).contains("v2").contains("stays active");
            });
            assertThat(rejected.get(0).errors()).singleElement().asString().startsWith("unsigned bundle");
            assertThat(rejected.get(1).errors()).singleElement().asString().contains("does not verify");
            assertThat(rejected.get(2).errors()).singleElement().asString().startsWith("hash mismatch");
            assertThat(rejected.get(3).errors()).singleElement().asString().contains("does not verify");
            assertThat(rejected.get(0).toJson()).contains("\"status\":\"rejected\"", "evil-unsigned");

            assertThat(ev.getBroadcastState(Descriptors.RULES).get(Descriptors.ACTIVE_HASH)).isEqualTo(v2.hash());
            assertThat(rate.getBroadcastState(Descriptors.RULES).get(Descriptors.ACTIVE_HASH)).isEqualTo(v2.hash());

            // v2's rules still fire: Create IAM User (which the attacks disable) and v2's access-key rule
            ev.processElement(TestEvents.raw(TestEvents.createUser("e1"), "s:1"), 10);
            ev.processElement(TestEvents.raw(TestEvents.createAccessKey("e2"), "s:2"), 11);
            assertThat(RuleEvaluatorTest.rulesFired(ev)).contains("Create IAM User@e1", "Access Key Created@e2");
            Rule burst = CompiledBundle.compile(v2, MatchingMode.ALL).ruleSet().rule("Burst");
            for (int i = 0; i < 3; i++) {
                Signal s = new Signal("Burst", burst.fingerprint(), new String[] {"1.1.1.1"}, T0 + i, "b" + i, "u",
                        new String[] {"1.1.1.1"}, "111122223333", "us-east-1");
                rate.processElement(new StreamRecord<>(s, s.time));
            }
            assertThat(rate.extractOutputValues()).hasSize(1);
        }
    }

    private static List<BundleFile> reorder(List<BundleFile> files) {
        List<BundleFile> out = new ArrayList<>(files);
        Collections.reverse(out);
        return out;
    }

    private static BroadcastOperatorTestHarness<RawRecord, RuleBundle, Evaluated> evaluator(RuleBundle startup)
            throws Exception {
        BroadcastOperatorTestHarness<RawRecord, RuleBundle, Evaluated> h = new BroadcastOperatorTestHarness<>(
                new CoBroadcastWithNonKeyedOperator<>(
                        new RuleEvaluator(new ActiveRules(startup, MatchingMode.ALL, VERIFIER)),
                        Collections.singletonList(Descriptors.RULES)), 1, 1, 0);
        DetectionPipeline.registerTypes(h.getExecutionConfig());
        h.setup();
        h.open();
        return h;
    }

    private static KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> rate(RuleBundle startup)
            throws Exception {
        CoBroadcastWithKeyedOperator<String, Signal, RuleBundle, Alert> operator = new CoBroadcastWithKeyedOperator<>(
                new RateRuleOperator(new ActiveRules(startup, MatchingMode.ALL, VERIFIER), false, 600_000L, 1),
                Collections.singletonList(Descriptors.RULES));
        KeyedBroadcastOperatorTestHarness<String, Signal, RuleBundle, Alert> h = new KeyedBroadcastOperatorTestHarness<>(
                operator, (KeySelector<Signal, String>) Signal::key, RateKeyTypeInfo.INSTANCE, 1, 1, 0);
        DetectionPipeline.registerTypes(h.getExecutionConfig());
        h.setup();
        h.open();
        operator.processWatermarkStatus2(WatermarkStatus.IDLE); // as NoEventTime declares the bundle input
        return h;
    }
}

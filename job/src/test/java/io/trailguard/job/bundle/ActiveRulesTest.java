package io.trailguard.job.bundle;

import io.trailguard.job.TestRules;
import io.trailguard.rules.engine.MatchingMode;
import org.junit.jupiter.api.Test;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The accept/reject protocol that the evaluator, the rate stages and the start-up scan share. */
class ActiveRulesTest {
    private static final RuleBundle STARTUP = TestRules.base().withOrigin("shardId-000000000000:100");
    private static final RuleBundle V2 = TestRules.basePlus("v2", "extra.yaml", TestRules.ACCESS_KEY_RULE)
            .withOrigin("shardId-000000000000:200");
    private static final RuleBundle OLDER = TestRules.basePlus("v0", "extra.yaml", TestRules.ACCESS_KEY_RULE)
            .withOrigin("shardId-000000000000:50");
    private static final RuleBundle BROKEN = TestRules.basePlus("v3", "broken.yaml", TestRules.BROKEN_RULE)
            .withOrigin("shardId-000000000000:300");

    private static ActiveRules started(BundleVerifier verifier) {
        ActiveRules rules = new ActiveRules(STARTUP, MatchingMode.ALL, verifier);
        rules.start();
        return rules;
    }

    @Test
    void startsWithTheStartUpBundleAndRefusesAnInvalidOne() {
        ActiveRules rules = started(BundleVerifier.none());
        assertThat(rules.bundle().hash()).isEqualTo(STARTUP.hash());
        assertThat(rules.ruleSet().size()).isPositive();

        assertThatThrownBy(() -> new ActiveRules(BROKEN, MatchingMode.ALL, BundleVerifier.none()).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the start-up rule bundle v3 is invalid: ");
    }

    @Test
    void acceptsAValidBundleAndKeepsTheRulesOnAnInvalidOne() {
        ActiveRules rules = started(BundleVerifier.none());
        ActiveRules.Offer broken = rules.offer(BROKEN, false);
        assertThat(broken.outcome()).isEqualTo(ActiveRules.Outcome.REJECTED);
        assertThat(broken.compiled().errors()).isNotEmpty();
        assertThat(rules.bundle().hash()).isEqualTo(STARTUP.hash());

        ActiveRules.Offer v2 = rules.offer(V2, false);
        assertThat(v2.outcome()).isEqualTo(ActiveRules.Outcome.ACCEPTED);
        assertThat(v2.previous().hash()).isEqualTo(STARTUP.hash());
        assertThat(rules.bundle().hash()).isEqualTo(V2.hash());
        assertThat(rules.ruleSet().size()).isEqualTo(v2.compiled().ruleCount());
    }

    @Test
    void skipsBundlesOlderThanTheStartUpBundleUntilOneWasAccepted() {
        ActiveRules rules = started(BundleVerifier.none());
        assertThat(rules.offer(OLDER, false).outcome()).isEqualTo(ActiveRules.Outcome.OLDER_THAN_STARTUP);
        assertThat(rules.bundle().hash()).isEqualTo(STARTUP.hash());
        assertThat(rules.offer(OLDER, true).outcome()).isEqualTo(ActiveRules.Outcome.ACCEPTED);
        assertThat(rules.bundle().hash()).isEqualTo(OLDER.hash());
    }

    @Test
    void unsignedBundlesAreRejectedWhenSignaturesAreRequired() {
        BundleVerifier required = BundleVerifier.withKey(true,
                new SecretKeySpec("k".repeat(32).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        ActiveRules rules = started(required);
        ActiveRules.Offer unsigned = rules.offer(V2, false);
        assertThat(unsigned.outcome()).isEqualTo(ActiveRules.Outcome.REJECTED);
        assertThat(rules.check(V2).ok()).isFalse();
        assertThat(rules.bundle().hash()).isEqualTo(STARTUP.hash());
    }

    @Test
    void followsTheAcceptedBundleOfTheSharedState() {
        ActiveRules rules = started(BundleVerifier.none());
        assertThat(rules.isBehind(null)).isFalse();
        assertThat(rules.isBehind(STARTUP.hash())).isFalse();
        assertThat(rules.isBehind(V2.hash())).isTrue();
        rules.restore(V2.toStateJson());
        assertThat(rules.bundle().hash()).isEqualTo(V2.hash());
        assertThat(rules.isBehind(V2.hash())).isFalse();
    }
}

package io.trailguard.job.bundle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import io.trailguard.rules.engine.MatchingMode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bundle without an enabled rule is refused unless it is marked intentionally empty, and the marker is covered by
 * the hash and so by the signature: it cannot be forged onto, or stripped from, a bundle.
 */
class EmptyBundleTest {
    static final String DISABLED_RULE = String.join("\n",
            "- rule: Switched Off",
            "  desc: disabled",
            "  condition: ct.name = \"CreateUser\"",
            "  output: never",
            "  priority: INFO",
            "  source: aws_cloudtrail",
            "  enabled: false",
            "");
    static final String ONLY_A_LIST = "- list: admins\n  items: [alice]\n";
    static final String ENABLED_RULE = DISABLED_RULE.replace("  enabled: false\n", "");
    static final SecretKeySpec HMAC = new SecretKeySpec(
            "0123456789abcdef0123456789abcdef-test-only".getBytes(StandardCharsets.UTF_8), "HmacSHA256");

    private static List<BundleFile> files(String... nameAndContent) {
        BundleFile[] out = new BundleFile[nameAndContent.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = new BundleFile(nameAndContent[2 * i], nameAndContent[2 * i + 1]);
        }
        return Arrays.asList(out);
    }

    private static RuleBundle wire(RuleBundle b) throws Exception {
        return ControlMessage.parse(b.toMessageBytes(), "shardId-0:1").bundle();
    }

    private static RuleBundle wire(ObjectNode message) throws Exception {
        return ControlMessage.parse(JobJson.write(message).getBytes(StandardCharsets.UTF_8), "shardId-0:1").bundle();
    }

    @Test
    void aBundleWithoutAnEnabledRuleIsRefusedNamingItsFiles() throws Exception {
        RuleBundle b = wire(RuleBundle.of("v7", null, files("off.yaml", DISABLED_RULE, "lists.yaml", ONLY_A_LIST),
                null));
        CompiledBundle c = CompiledBundle.compile(b, MatchingMode.ALL);

        assertThat(c.ok()).isFalse();
        assertThat(c.errors()).containsExactly("bundle v7 has no enabled rules: the files given were off.yaml, "
                + "lists.yaml; use publish --allow-empty to disable detection on purpose");
    }

    @Test
    void aBundleWithoutFilesIsRefusedUnlessMarked() throws Exception {
        ObjectNode m = RuleBundle.of("v8", null, Collections.emptyList(), null).toMessage();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> wire(m))
                .isInstanceOf(InvalidBundleException.class).hasMessageContaining("'files' is empty")
                .hasMessageContaining("--allow-empty");

        RuleBundle empty = wire(RuleBundle.intentionallyEmpty("v8", null, Collections.emptyList(), null));
        CompiledBundle c = CompiledBundle.compile(empty, MatchingMode.ALL);
        assertThat(c.errors()).isEmpty();
        assertThat(c.ok()).isTrue();
        assertThat(c.detectionDisabled()).isTrue();
        assertThat(c.ruleCount()).isZero();
        assertThat(empty.isIntentionallyEmpty()).isTrue();
    }

    @Test
    void anIntentionallyEmptyBundleOfDisabledRulesIsAccepted() throws Exception {
        RuleBundle b = wire(RuleBundle.intentionallyEmpty("v9", "2026-01-01T00:00:00Z",
                files("off.yaml", DISABLED_RULE), null));
        assertThat(CompiledBundle.compile(b, MatchingMode.ALL).detectionDisabled()).isTrue();
        assertThat(RuleBundle.fromStateJson(b.toStateJson())).isEqualTo(b);
    }

    @Test
    void theMarkerOnABundleWithEnabledRulesIsRefused() throws Exception {
        RuleBundle b = wire(RuleBundle.intentionallyEmpty("v10", null, files("on.yaml", ENABLED_RULE), null));
        assertThat(CompiledBundle.compile(b, MatchingMode.ALL).errors()).containsExactly(
                "bundle v10 is marked intentionally empty but has 1 enabled rules: publish it without --allow-empty");
    }

    @Test
    void theMarkerChangesTheHashSoItCannotBeAddedOrRemovedUnnoticed() throws Exception {
        List<BundleFile> fs = files("off.yaml", DISABLED_RULE);
        RuleBundle plain = RuleBundle.of("v11", null, fs, null);
        RuleBundle marked = RuleBundle.intentionallyEmpty("v11", null, fs, null);
        assertThat(marked.hash()).isNotEqualTo(plain.hash());

        ObjectNode forged = plain.toMessage();
        forged.put("intentionallyEmpty", true);
        assertThat(CompiledBundle.compile(wire(forged), MatchingMode.ALL).errors()).singleElement().asString()
                .startsWith("hash mismatch");

        ObjectNode stripped = marked.toMessage();
        stripped.remove("intentionallyEmpty");
        assertThat(CompiledBundle.compile(wire(stripped), MatchingMode.ALL).errors()).singleElement().asString()
                .startsWith("hash mismatch");
    }

    @Test
    void theMarkerCannotBeForgedOntoASignedBundleEvenWithARecomputedHash() throws Exception {
        BundleVerifier v = BundleVerifier.withKey(true, HMAC);
        List<BundleFile> fs = files("off.yaml", DISABLED_RULE);
        RuleBundle signed = BundleSigner.hmac(HMAC, "hmac:env:K").sign(RuleBundle.of("v12", "2026-01-01T00:00:00Z",
                fs, null));
        assertThat(CompiledBundle.compile(wire(signed), MatchingMode.ALL, v).errors()).singleElement().asString()
                .startsWith("bundle v12 has no enabled rules");

        ObjectNode forged = signed.toMessage();
        forged.put("intentionallyEmpty", true);
        forged.put("hash", RuleBundle.contentHash(fs, true));
        assertThat(CompiledBundle.compile(wire(forged), MatchingMode.ALL, v).errors()).singleElement().asString()
                .startsWith("signature rejected");

        RuleBundle signedEmpty = BundleSigner.hmac(HMAC, "hmac:env:K").sign(
                RuleBundle.intentionallyEmpty("v12", "2026-01-01T00:00:00Z", fs, null));
        assertThat(CompiledBundle.compile(wire(signedEmpty), MatchingMode.ALL, v).detectionDisabled()).isTrue();
    }

    @Test
    void theMarkerMustBeABoolean() {
        ObjectNode m = RuleBundle.of("v13", null, files("on.yaml", ENABLED_RULE), null).toMessage();
        m.put("intentionallyEmpty", "yes");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> wire(m))
                .isInstanceOf(InvalidBundleException.class).hasMessageContaining("must be true or false");
    }
}

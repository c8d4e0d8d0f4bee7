package io.trailguard.job.bundle;

import io.trailguard.job.TestRules;
import io.trailguard.rules.engine.MatchingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Signing and verifying bundles: HMAC, RSA-PSS and ECDSA (local key pairs standing in for KMS keys). */
class BundleSignatureTest {
    static final String SECRET = "0123456789abcdef0123456789abcdef-test-only";
    static final SecretKeySpec HMAC = new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256");

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static RuleBundle v2() {
        return TestRules.basePlus("v2", "changes.yaml", TestRules.ACCESS_KEY_RULE);
    }

    private static List<String> errors(RuleBundle b, BundleVerifier v) {
        return CompiledBundle.compile(b, MatchingMode.ALL, v).errors();
    }

    /** Round trip through the message, as the job sees it. */
    private static RuleBundle wire(RuleBundle b) throws Exception {
        return ControlMessage.parse(b.toMessageBytes(), "shardId-0:1").bundle();
    }

    @Test
    void hmacSignedBundlesVerifyAndTamperingIsRefused() throws Exception {
        BundleVerifier v = BundleVerifier.withKey(true, HMAC);
        RuleBundle signed = wire(BundleSigner.hmac(HMAC, "hmac:env:K").sign(v2()));
        assertThat(signed.signature().alg()).isEqualTo("HMAC-SHA256");
        assertThat(signed.signature().keyId()).isEqualTo("hmac:env:K");
        assertThat(new String(signed.toMessageBytes(), StandardCharsets.UTF_8)).doesNotContain(SECRET);
        assertThat(CompiledBundle.compile(signed, MatchingMode.ALL, v).ok()).isTrue();

        // content changed, hash left: the hash check refuses it
        RuleBundle contentOnly = RuleBundle.fromStateJson(signed.toStateJson().replace("CRITICAL", "INFO"));
        assertThat(errors(contentOnly, v)).singleElement().asString().startsWith("hash mismatch");
        // content changed and the hash recomputed: the signature no longer covers it
        RuleBundle rehashed = RuleBundle.fromStateJson(signed.toStateJson().replace(signed.hash(),
                RuleBundle.contentHash(contentOnly.files())).replace("CRITICAL", "INFO"));
        assertThat(rehashed.hashMatches()).isTrue();
        assertThat(errors(rehashed, v)).singleElement().asString().startsWith("signature rejected")
                .contains("does not verify");
        // same files under another version or creation time
        RuleBundle renamed = RuleBundle.fromStateJson(signed.toStateJson().replace("\"version\":\"v2\"",
                "\"version\":\"v9\""));
        assertThat(errors(renamed, v)).singleElement().asString().contains("does not verify");
        RuleBundle redated = RuleBundle.fromStateJson(signed.toStateJson().replace("2026-01-01T00:00:00Z",
                "2027-01-01T00:00:00Z"));
        assertThat(errors(redated, v)).singleElement().asString().contains("does not verify");
        // a garbage value
        RuleBundle garbage = RuleBundle.fromStateJson(signed.toStateJson().replace(
                Base64.getEncoder().encodeToString(signed.signature().valueBytes()), "AAAA"));
        assertThat(errors(garbage, v)).singleElement().asString().contains("does not verify");
    }

    @Test
    void wrongKeysAndWrongAlgorithmsAreRefused() throws Exception {
        SecretKeySpec other = new SecretKeySpec("another-key-another-key-another-key!".getBytes(StandardCharsets.UTF_8),
                "HmacSHA256");
        RuleBundle byOther = BundleSigner.hmac(other, "other").sign(v2());
        assertThat(errors(byOther, BundleVerifier.withKey(true, HMAC))).singleElement().asString()
                .contains("does not verify");
        KeyPair r = rsa();
        RuleBundle rsaSigned = BundleSigner.privateKey(r.getPrivate(), "rsa").sign(v2());
        assertThat(errors(rsaSigned, BundleVerifier.withKey(true, HMAC))).singleElement().asString()
                .contains("algorithm RSASSA_PSS_SHA_256 does not match");
        assertThat(errors(rsaSigned, BundleVerifier.withKey(true, rsa().getPublic()))).singleElement().asString()
                .contains("does not verify");
        // an HMAC "signature" made with the public key as secret is not accepted by an RSA verifier
        SecretKeySpec publicAsSecret = new SecretKeySpec(r.getPublic().getEncoded(), "HmacSHA256");
        RuleBundle confused = BundleSigner.hmac(publicAsSecret, "rsa").sign(v2());
        assertThat(errors(confused, BundleVerifier.withKey(true, r.getPublic()))).singleElement().asString()
                .contains("algorithm HMAC-SHA256 does not match");
    }

    @Test
    void rsaPssAndEcdsaSignaturesVerifyWithThePublicKeyOnly() throws Exception {
        for (KeyPair kp : new KeyPair[] {rsa(), ec()}) {
            RuleBundle signed = wire(BundleSigner.privateKey(kp.getPrivate(), "arn:aws:kms:k").sign(v2()));
            BundleVerifier v = BundleVerifier.withKey(true, kp.getPublic());
            assertThat(CompiledBundle.compile(signed, MatchingMode.ALL, v).ok()).as(kp.getPublic().getAlgorithm())
                    .isTrue();
            RuleBundle renamed = RuleBundle.fromStateJson(signed.toStateJson().replace("\"version\":\"v2\"",
                    "\"version\":\"v3\""));
            assertThat(errors(renamed, v)).singleElement().asString().contains("does not verify");
        }
    }

    @Test
    void unsignedBundlesAreRefusedOnlyWhenSignaturesAreRequired() {
        assertThat(errors(v2(), BundleVerifier.withKey(true, HMAC))).singleElement().asString()
                .startsWith("unsigned bundle");
        assertThat(CompiledBundle.compile(v2(), MatchingMode.ALL, BundleVerifier.withKey(false, HMAC)).ok()).isTrue();
        assertThat(CompiledBundle.compile(v2(), MatchingMode.ALL, BundleVerifier.none()).ok()).isTrue();
        assertThat(CompiledBundle.compile(v2(), MatchingMode.ALL).ok()).isTrue();
        // with a key, a present but bad signature is refused even when not required
        RuleBundle bad = BundleSigner.hmac(new SecretKeySpec(new byte[32], "HmacSHA256"), "zero").sign(v2());
        assertThat(errors(bad, BundleVerifier.withKey(false, HMAC))).singleElement().asString()
                .contains("does not verify");
        assertThatThrownBy(() -> BundleVerifier.of(true, "")).hasMessageContaining("bundles.verify_key");
    }

    @Test
    void chunkedBundlesCarryTheSignatureOfTheWholeBundle() throws Exception {
        RuleBundle big = BundleSigner.hmac(HMAC, "k").sign(TestRules.bigBundle("big", 2_000_000));
        List<byte[]> records = ControlMessage.encode(big, ControlMessage.MAX_RECORD_BYTES);
        assertThat(records.size()).isGreaterThan(1);
        ChunkAssembly a = new ChunkAssembly();
        RuleBundle out = null;
        int i = 0;
        for (byte[] r : records) {
            ChunkAssembly.Outcome o = a.accept(r, "shardId-0:" + i++);
            assertThat(o.rejections).isEmpty();
            if (o.bundle != null) {
                out = o.bundle;
            }
        }
        assertThat(out).isNotNull();
        assertThat(out.signature()).isEqualTo(big.signature());
        assertThat(CompiledBundle.compile(out, MatchingMode.ALL, BundleVerifier.withKey(true, HMAC)).ok()).isTrue();
    }

    @Test
    void keySpecificationsReadEnvironmentFilesAndPemWithoutEchoingKeys(@TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("TG_KEY", SECRET);
        assertThat(BundleKeys.hmacKey("hmac:env:TG_KEY", env).getEncoded()).isEqualTo(HMAC.getEncoded());
        Path f = dir.resolve("key");
        Files.write(f, (SECRET + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(BundleKeys.hmacKey("hmac:file:" + f, env).getEncoded()).isEqualTo(HMAC.getEncoded());
        env.put("SHORT", "short-secret-value");
        assertThatThrownBy(() -> BundleKeys.hmacKey("hmac:env:SHORT", env)).hasMessageContaining("at least 32")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("short-secret-value"));
        assertThatThrownBy(() -> BundleKeys.hmacKey("hmac:env:MISSING", env)).hasMessageContaining("not set");
        assertThatThrownBy(() -> BundleKeys.hmacKey("hmac:" + SECRET, env))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));

        KeyPair kp = ec();
        Path pem = dir.resolve("pub.pem");
        Files.write(pem, ("-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(kp.getPublic()
                .getEncoded()) + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII));
        Path der = dir.resolve("pub.der");
        Files.write(der, kp.getPublic().getEncoded());
        RuleBundle signed = BundleSigner.privateKey(kp.getPrivate(), "k").sign(v2());
        for (String spec : new String[] {"kms-public:file:" + pem, "kms-public:file:" + der,
                "kms-public:b64:" + Base64.getEncoder().encodeToString(kp.getPublic().getEncoded())}) {
            BundleVerifier v = BundleVerifier.of(true, spec).validate();
            assertThat(CompiledBundle.compile(signed, MatchingMode.ALL, v).ok()).as(spec).isTrue();
        }
        assertThat(BundleVerifier.of(true, "kms-public:b64:AAAA").describe()).doesNotContain("AAAA");
        assertThatThrownBy(() -> BundleVerifier.of(true, "kms-public:b64:AAAA").validate())
                .hasMessageContaining("not an RSA or EC");
        // survives Java serialization (the job graph) as a specification, not as key bytes
        BundleVerifier v = BundleVerifier.of(true, "hmac:file:" + f);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(bytes)) {
            o.writeObject(v.validate());
        }
        assertThat(new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
        BundleVerifier back = (BundleVerifier) new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertThat(CompiledBundle.compile(BundleSigner.hmac(HMAC, "k").sign(v2()), MatchingMode.ALL, back).ok())
                .isTrue();
        assertThat(Collections.singleton(back.describe())).allSatisfy(d -> assertThat(d).doesNotContain(SECRET));
    }
}

package io.trailguard.job.bundle;

import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.job.config.ConfigKey;
import io.trailguard.job.config.TrailguardConfig;

import java.io.Serializable;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * Checks bundle signatures ({@link BundleSignature}) for every path that accepts a bundle from the control stream:
 * {@link CompiledBundle#compile(RuleBundle, MatchingMode, BundleVerifier)} (used by the
 * rule evaluator, every rate-rule stage and the start-up scan of the control stream), so they all agree.
 *
 * <p>With a key, a signature that is present must verify (even when signatures are not required). With
 * {@link #required()}, an unsigned bundle is refused too. Serializable: it travels in the job graph as the key
 * <em>specification</em> ({@code hmac:env:VAR}, ...), and the key is read on each task manager when first needed.
 */
public final class BundleVerifier implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final BundleVerifier NONE = new BundleVerifier(false, null, null);

    private final boolean required;
    private final String keySpec;
    /** A key given directly (tests, tools); null when {@link #keySpec} is used. */
    private final Key inlineKey;
    private transient Key key;

    private BundleVerifier(boolean required, String keySpec, Key inlineKey) {
        if (required && keySpec == null && inlineKey == null) {
            throw new IllegalArgumentException("bundles.require_signature is true but bundles.verify_key is not set");
        }
        this.required = required;
        this.keySpec = keySpec;
        this.inlineKey = inlineKey;
    }

    /** No key, nothing required: every well-formed bundle is accepted, signatures are not looked at. */
    public static BundleVerifier none() {
        return NONE;
    }

    /**
     * Signature checks for control-stream bundles as configured by {@code bundles.require_signature} and
     * {@code bundles.verify_key} (keys are read when first needed, see {@link #validate()}).
     */
    public static BundleVerifier configured(TrailguardConfig config) {
        String required = config.get(ConfigKey.BUNDLES_REQUIRE_SIGNATURE).trim().toLowerCase(Locale.ROOT);
        if (!required.equals("true") && !required.equals("false")) {
            throw new IllegalArgumentException(ConfigKey.BUNDLES_REQUIRE_SIGNATURE.key() + " must be true or false, not '"
                    + config.get(ConfigKey.BUNDLES_REQUIRE_SIGNATURE) + "'");
        }
        String spec = config.get(ConfigKey.BUNDLES_VERIFY_KEY).trim();
        if (!spec.isEmpty() && !spec.startsWith("hmac:") && !spec.startsWith("kms-public:")) {
            throw new IllegalArgumentException(ConfigKey.BUNDLES_VERIFY_KEY.key()
                    + " must be hmac:env:VAR, hmac:file:PATH, kms-public:file:PATH or kms-public:b64:DER");
        }
        return of(required.equals("true"), spec);
    }

    /** From configuration: {@code keySpec} may be null or empty (then {@code required} must be false). */
    public static BundleVerifier of(boolean required, String keySpec) {
        return new BundleVerifier(required, keySpec == null || keySpec.isEmpty() ? null : keySpec, null);
    }

    /** With a key object (a SecretKey for HMAC-SHA256, or an RSA/EC public key). */
    public static BundleVerifier withKey(boolean required, Key key) {
        return new BundleVerifier(required, null, key);
    }

    public boolean required() {
        return required;
    }

    public boolean hasKey() {
        return keySpec != null || inlineKey != null;
    }

    /** Where the key comes from, safe to log. */
    public String describe() {
        if (!hasKey()) {
            return "no verify key";
        }
        return (keySpec != null ? BundleKeys.describe(keySpec) : "key " + inlineKey.getAlgorithm())
                + (required ? ", signatures required" : ", signatures checked when present");
    }

    /** Reads the key now; throws IllegalArgumentException naming the problem (for start-up checks). */
    public BundleVerifier validate() {
        key();
        return this;
    }

    private Key key() {
        if (key == null && hasKey()) {
            if (inlineKey != null) {
                key = inlineKey;
            } else if (BundleKeys.isHmac(keySpec)) {
                key = BundleKeys.hmacKey(keySpec, System.getenv());
            } else {
                key = BundleKeys.publicKey(keySpec);
            }
        }
        return key;
    }

    /** Null when the bundle may be used, otherwise why not (one line, no key material). */
    public String check(RuleBundle b) {
        BundleSignature s = b.signature();
        if (s == null) {
            return required ? "unsigned bundle: bundles.require_signature is true and the bundle carries no signature"
                    : null;
        }
        if (!hasKey()) {
            return null;
        }
        Key k = key();
        byte[] value;
        try {
            value = s.valueBytes();
        } catch (IllegalArgumentException e) {
            return "signature rejected: the value is not base64";
        }
        byte[] message = BundleSignature.canonical(b);
        try {
            boolean ok;
            if (k instanceof SecretKey) {
                if (!BundleSignature.HMAC_SHA256.equals(s.alg())) {
                    return mismatch(s, "HMAC-SHA256");
                }
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(k);
                ok = MessageDigest.isEqual(mac.doFinal(message), value);
            } else if (k instanceof RSAPublicKey) {
                Signature sig;
                if (BundleSignature.RSASSA_PSS_SHA_256.equals(s.alg())) {
                    sig = Signature.getInstance("RSASSA-PSS");
                    sig.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                } else if (BundleSignature.RSASSA_PKCS1_V1_5_SHA_256.equals(s.alg())) {
                    sig = Signature.getInstance("SHA256withRSA");
                } else {
                    return mismatch(s, "RSASSA_PSS_SHA_256 or RSASSA_PKCS1_V1_5_SHA_256");
                }
                ok = verify(sig, (PublicKey) k, message, value);
            } else if (k instanceof ECPublicKey) {
                if (!BundleSignature.ECDSA_SHA_256.equals(s.alg())) {
                    return mismatch(s, "ECDSA_SHA_256");
                }
                ok = verify(Signature.getInstance("SHA256withECDSA"), (PublicKey) k, message, value);
            } else {
                return "signature rejected: unsupported verify key type " + k.getAlgorithm();
            }
            return ok ? null : "signature rejected: the " + s + " signature does not verify with the configured "
                    + "bundles.verify_key (tampered bundle, or signed with another key)";
        } catch (GeneralSecurityException | RuntimeException e) {
            return "signature rejected: " + s + " cannot be verified (" + e.getClass().getSimpleName() + ")";
        }
    }

    private static boolean verify(Signature sig, PublicKey k, byte[] message, byte[] value)
            throws GeneralSecurityException {
        sig.initVerify(k);
        sig.update(message);
        try {
            return sig.verify(value);
        } catch (java.security.SignatureException e) {
            return false; // malformed signature bytes
        }
    }

    private static String mismatch(BundleSignature s, String expected) {
        return "signature rejected: algorithm " + s.alg() + " does not match the configured verify key (" + expected
                + ")";
    }
}

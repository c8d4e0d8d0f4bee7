package io.trailguard.job.bundle;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/** Signs a bundle's {@link BundleSignature#canonical canonical bytes}. */
public interface BundleSigner {
    /** The signature over {@code canonical}. */
    BundleSignature sign(byte[] canonical);

    /** The bundle with its signature attached (sign before chunking: the chunks then carry it). */
    default RuleBundle sign(RuleBundle b) {
        return b.withSignature(sign(BundleSignature.canonical(b)));
    }

    /** HMAC-SHA256 with a shared secret. */
    static BundleSigner hmac(SecretKeySpec key, String keyId) {
        return canonical -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return new BundleSignature(BundleSignature.HMAC_SHA256, keyId, mac.doFinal(canonical));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 is not available", e);
            }
        };
    }

    /** A local private key (tests; what KMS does with its key): ECDSA_SHA_256 for EC, RSASSA_PSS_SHA_256 for RSA. */
    static BundleSigner privateKey(PrivateKey key, String keyId) {
        return canonical -> {
            try {
                if (key instanceof ECPrivateKey) {
                    Signature s = Signature.getInstance("SHA256withECDSA");
                    s.initSign(key);
                    s.update(canonical);
                    return new BundleSignature(BundleSignature.ECDSA_SHA_256, keyId, s.sign());
                }
                Signature s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                s.initSign(key);
                s.update(canonical);
                return new BundleSignature(BundleSignature.RSASSA_PSS_SHA_256, keyId, s.sign());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
            }
        };
    }
}

package io.trailguard.job.bundle;

import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Reads key specifications. The key material itself never appears in a specification, a log line or an error
 * message: only where it is ({@code env:VAR}, {@code file:PATH}).
 * <ul>
 *   <li>{@code hmac:env:VAR}, {@code hmac:file:PATH}: an HMAC-SHA256 key, the UTF-8 bytes of the variable or of the
 *       file (one trailing line break dropped), at least {@value #MIN_HMAC_KEY_BYTES} bytes;</li>
 *   <li>{@code kms-public:file:PATH}: a public key (SubjectPublicKeyInfo, PEM or DER, as {@code aws kms
 *       get-public-key} exports it), RSA or EC; {@code kms-public:b64:BASE64} gives the DER inline (a public key is
 *       no secret, so it may sit in configuration).</li>
 * </ul>
 */
public final class BundleKeys {
    public static final int MIN_HMAC_KEY_BYTES = 32;

    private BundleKeys() {
    }

    /** True for {@code hmac:...} specifications. */
    public static boolean isHmac(String spec) {
        return spec != null && spec.startsWith("hmac:");
    }

    /** The HMAC key of an {@code hmac:env:VAR} or {@code hmac:file:PATH} specification. */
    public static SecretKeySpec hmacKey(String spec, Map<String, String> env) {
        if (!isHmac(spec)) {
            throw new IllegalArgumentException("not an HMAC key specification (hmac:env:VAR or hmac:file:PATH): "
                    + describe(spec));
        }
        String where = spec.substring("hmac:".length());
        byte[] key;
        if (where.startsWith("env:")) {
            String var = where.substring(4);
            String v = env.get(var);
            if (v == null || v.isEmpty()) {
                throw new IllegalArgumentException("HMAC key: environment variable " + var + " is not set");
            }
            key = stripLineBreak(v.getBytes(StandardCharsets.UTF_8));
        } else if (where.startsWith("file:")) {
            String path = where.substring(5);
            try {
                key = stripLineBreak(Files.readAllBytes(Paths.get(path)));
            } catch (IOException e) {
                throw new IllegalArgumentException("HMAC key: cannot read " + path + ": " + e.getClass().getSimpleName());
            }
        } else {
            throw new IllegalArgumentException("HMAC key must be hmac:env:VAR or hmac:file:PATH (never the key "
                    + "itself), got hmac:" + (where.indexOf(':') > 0 ? where.substring(0, where.indexOf(':')) : "?")
                    + ":...");
        }
        if (key.length < MIN_HMAC_KEY_BYTES) {
            throw new IllegalArgumentException("HMAC key from " + spec + " has " + key.length + " bytes; at least "
                    + MIN_HMAC_KEY_BYTES + " are required");
        }
        SecretKeySpec k = new SecretKeySpec(key, "HmacSHA256");
        Arrays.fill(key, (byte) 0);
        return k;
    }

    /** The public key of a {@code kms-public:file:PATH} or {@code kms-public:b64:BASE64} specification. */
    public static PublicKey publicKey(String spec) {
        if (spec == null || !spec.startsWith("kms-public:")) {
            throw new IllegalArgumentException("not a public key specification (kms-public:file:PATH or "
                    + "kms-public:b64:DER_BASE64): " + describe(spec));
        }
        String where = spec.substring("kms-public:".length());
        byte[] der;
        if (where.startsWith("file:")) {
            try {
                der = Files.readAllBytes(Paths.get(where.substring(5)));
            } catch (IOException e) {
                throw new IllegalArgumentException("public key: cannot read " + where.substring(5) + ": "
                        + e.getClass().getSimpleName());
            }
            der = pemToDer(der);
        } else if (where.startsWith("b64:")) {
            try {
                der = Base64.getMimeDecoder().decode(where.substring(4));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("public key: kms-public:b64: value is not base64");
            }
        } else {
            throw new IllegalArgumentException("public key must be kms-public:file:PATH or kms-public:b64:DER_BASE64");
        }
        return parsePublicKey(der);
    }

    /** An X.509 SubjectPublicKeyInfo (DER), RSA or EC. */
    public static PublicKey parsePublicKey(byte[] der) {
        for (String alg : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // try the next
            }
        }
        throw new IllegalArgumentException("public key: not an RSA or EC SubjectPublicKeyInfo (PEM or DER)");
    }

    private static byte[] pemToDer(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int begin = text.indexOf("-----BEGIN PUBLIC KEY-----");
        if (begin < 0) {
            return bytes;
        }
        int end = text.indexOf("-----END PUBLIC KEY-----", begin);
        if (end < 0) {
            throw new IllegalArgumentException("public key: PEM without END line");
        }
        String b64 = text.substring(begin + "-----BEGIN PUBLIC KEY-----".length(), end);
        return Base64.getMimeDecoder().decode(b64);
    }

    private static byte[] stripLineBreak(byte[] b) {
        int n = b.length;
        if (n > 0 && b[n - 1] == '\n') {
            n--;
        }
        if (n > 0 && b[n - 1] == '\r') {
            n--;
        }
        return n == b.length ? b : Arrays.copyOf(b, n);
    }

    /** A specification safe to print: its kind and where the key is, never a value. */
    static String describe(String spec) {
        if (spec == null) {
            return "(none)";
        }
        if (spec.startsWith("kms-public:b64:")) {
            return "kms-public:b64:...";
        }
        int colon = spec.indexOf(':');
        return colon < 0 ? "(unrecognised specification)" : spec.length() > 200 ? spec.substring(0, 200) + "..." : spec;
    }
}

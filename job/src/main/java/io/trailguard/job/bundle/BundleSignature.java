package io.trailguard.job.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * The signature a bundle message may carry: {@code "signature":{"alg":..,"keyId":..,"value":"<base64>"}}. It signs
 * {@link #canonical(RuleBundle)}: the bundle's content hash, version and createdAt, so it covers the files (through
 * the hash, which {@link CompiledBundle} checks against the files) and cannot be moved to another version. A chunked
 * bundle carries it inside the reassembled bundle message (signed before chunking).
 */
public final class BundleSignature implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String HMAC_SHA256 = "HMAC-SHA256";
    public static final String RSASSA_PSS_SHA_256 = "RSASSA_PSS_SHA_256";
    public static final String RSASSA_PKCS1_V1_5_SHA_256 = "RSASSA_PKCS1_V1_5_SHA_256";
    public static final String ECDSA_SHA_256 = "ECDSA_SHA_256";

    /** Most bytes of a decoded signature value accepted (RSA-4096 is 512). */
    static final int MAX_VALUE_BYTES = 2048;

    private final String alg;
    private final String keyId;
    private final String value;

    public BundleSignature(String alg, String keyId, byte[] value) {
        this(alg, keyId, Base64.getEncoder().encodeToString(value));
    }

    private BundleSignature(String alg, String keyId, String value) {
        this.alg = Objects.requireNonNull(alg, "alg");
        this.keyId = keyId == null ? "" : keyId;
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The bytes that are signed: {@code trailguard-bundle-v1\n<hash>\n<version>\n<createdAt or "">}. */
    public static byte[] canonical(RuleBundle b) {
        return ("trailguard-bundle-v1\n" + b.hash() + "\n" + b.version() + "\n"
                + (b.createdAt() == null ? "" : b.createdAt())).getBytes(StandardCharsets.UTF_8);
    }

    public String alg() {
        return alg;
    }

    public String keyId() {
        return keyId;
    }

    /** The decoded signature bytes; throws IllegalArgumentException when the value is not base64. */
    public byte[] valueBytes() {
        return Base64.getDecoder().decode(value);
    }

    void writeTo(ObjectNode n) {
        n.putObject("signature").put("alg", alg).put("keyId", keyId).put("value", value);
    }

    /** Reads the {@code signature} member of a bundle message; null when there is none. */
    static BundleSignature read(JsonNode message, String version) throws InvalidBundleException {
        JsonNode s = message.get("signature");
        if (s == null || s.isNull()) {
            return null;
        }
        if (!s.isObject() || !s.path("alg").isTextual() || !s.path("value").isTextual()
                || (s.has("keyId") && !s.get("keyId").isTextual())) {
            throw new InvalidBundleException("rule bundle " + version
                    + ": 'signature' must be an object with string 'alg', 'value' and optional 'keyId'");
        }
        String value = s.get("value").asText();
        if (value.length() > MAX_VALUE_BYTES * 4 / 3 + 4) {
            throw new InvalidBundleException("rule bundle " + version + ": signature value is too long");
        }
        String alg = s.get("alg").asText();
        String keyId = s.path("keyId").asText("");
        if (alg.length() > 64 || keyId.length() > 2048) {
            throw new InvalidBundleException("rule bundle " + version + ": signature alg or keyId is too long");
        }
        return new BundleSignature(alg, keyId, value);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BundleSignature)) {
            return false;
        }
        BundleSignature that = (BundleSignature) o;
        return alg.equals(that.alg) && keyId.equals(that.keyId) && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alg, keyId, value);
    }

    @Override
    public String toString() {
        return alg + (keyId.isEmpty() ? "" : " key " + keyId);
    }
}

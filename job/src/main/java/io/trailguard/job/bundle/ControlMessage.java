package io.trailguard.job.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * One record of the control stream: a whole rule bundle, or one chunk of a bundle too large for a Kinesis record.
 * <pre>
 * {"type":"bundle","version":..,"hash":..,"createdAt":..,"files":[{"name":..,"content":..}]}
 * {"type":"chunk","version":..,"hash":..,"index":i,"count":n,"data":"&lt;base64 of a slice of the bundle message&gt;"}
 * </pre>
 * The slices of a chunked bundle, decoded and concatenated in index order (0-based), are the UTF-8 bytes of its
 * {@code bundle} message.
 */
public final class ControlMessage {
    public static final String TYPE_BUNDLE = "bundle";
    public static final String TYPE_CHUNK = "chunk";
    /** Largest record {@link #encode} writes: below Kinesis's 1 MiB record limit with room for the partition key. */
    public static final int MAX_RECORD_BYTES = 900 * 1024;
    /** Most chunks one bundle may have. */
    public static final int MAX_CHUNKS = 128;

    private final RuleBundle bundle;
    private final String version;
    private final String hash;
    private final int index;
    private final int count;
    private final byte[] slice;

    private ControlMessage(RuleBundle bundle, String version, String hash, int index, int count, byte[] slice) {
        this.bundle = bundle;
        this.version = version;
        this.hash = hash;
        this.index = index;
        this.count = count;
        this.slice = slice;
    }

    public boolean isChunk() {
        return bundle == null;
    }

    /** The bundle of a {@code bundle} message. */
    public RuleBundle bundle() {
        return bundle;
    }

    public String version() {
        return version;
    }

    public String hash() {
        return hash;
    }

    public int index() {
        return index;
    }

    public int count() {
        return count;
    }

    /** The decoded bytes of a chunk. */
    public byte[] slice() {
        return slice;
    }

    /** Parses one control record. */
    public static ControlMessage parse(byte[] data, String origin) throws InvalidBundleException {
        JsonNode n;
        try {
            n = JobJson.mapper().readTree(data);
        } catch (IOException e) {
            throw new InvalidBundleException("control message is not JSON: " + oneLine(e.getMessage()), e);
        }
        if (n == null || !n.isObject()) {
            throw new InvalidBundleException("control message must be a JSON object");
        }
        String type = n.path("type").asText("");
        if (TYPE_BUNDLE.equals(type)) {
            RuleBundle b = RuleBundle.fromMessage(n, origin);
            return new ControlMessage(b, b.version(), b.hash(), 0, 1, null);
        }
        if (TYPE_CHUNK.equals(type)) {
            String version = n.path("version").asText("");
            String hash = n.path("hash").asText("");
            if (version.isEmpty() || hash.isEmpty()) {
                throw new InvalidBundleException("chunk message: missing string 'version' or 'hash'");
            }
            if (!n.path("index").canConvertToInt() || !n.path("count").canConvertToInt()
                    || !n.path("index").isIntegralNumber() || !n.path("count").isIntegralNumber()) {
                throw new InvalidBundleException("chunk of bundle " + version + ": 'index' and 'count' must be integers");
            }
            int index = n.get("index").intValue();
            int count = n.get("count").intValue();
            if (count < 1 || count > MAX_CHUNKS || index < 0 || index >= count) {
                throw new InvalidBundleException("chunk of bundle " + version + ": index " + index + " of count "
                        + count + " is out of range (count 1.." + MAX_CHUNKS + ")");
            }
            if (!n.path("data").isTextual()) {
                throw new InvalidBundleException("chunk of bundle " + version + ": missing string 'data'");
            }
            byte[] slice;
            try {
                slice = Base64.getDecoder().decode(n.get("data").asText());
            } catch (IllegalArgumentException e) {
                throw new InvalidBundleException("chunk " + index + " of bundle " + version + ": 'data' is not base64");
            }
            return new ControlMessage(null, version, hash, index, count, slice);
        }
        throw new InvalidBundleException("control message has unknown type '" + oneLine(type)
                + "' (expected 'bundle' or 'chunk')");
    }

    /**
     * The records that publish a bundle: one {@code bundle} message when it fits in {@code maxRecordBytes}, otherwise
     * {@code chunk} messages each at most {@code maxRecordBytes}.
     */
    public static List<byte[]> encode(RuleBundle bundle, int maxRecordBytes) {
        byte[] whole = bundle.toMessageBytes();
        List<byte[]> out = new ArrayList<>();
        if (whole.length <= maxRecordBytes) {
            out.add(whole);
            return out;
        }
        // Base64 turns 3 bytes into 4 characters; leave 1 KiB for the rest of the chunk message.
        int slice = Math.max(3, (maxRecordBytes - 1024) / 4 * 3);
        int count = (whole.length + slice - 1) / slice;
        if (count > MAX_CHUNKS) {
            throw new IllegalArgumentException("rule bundle of " + whole.length + " bytes needs " + count
                    + " chunks; at most " + MAX_CHUNKS + " are accepted");
        }
        for (int i = 0; i < count; i++) {
            byte[] part = Arrays.copyOfRange(whole, i * slice, Math.min(whole.length, (i + 1) * slice));
            ObjectNode n = JobJson.mapper().createObjectNode();
            n.put("type", TYPE_CHUNK);
            n.put("version", bundle.version());
            n.put("hash", bundle.hash());
            n.put("index", i);
            n.put("count", count);
            n.put("data", Base64.getEncoder().encodeToString(part));
            out.add(JobJson.write(n).getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("\\s+", " ").trim();
        return t.length() > 300 ? t.substring(0, 297) + "..." : t;
    }
}

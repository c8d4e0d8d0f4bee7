package io.trailguard.job.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.JobJson;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns control-stream records, in stream order, into rule bundles: whole {@code bundle} messages pass through,
 * {@code chunk} messages are held until every chunk of their bundle has arrived. Plain Java, used by the Flink
 * {@link BundleAssembler} (which checkpoints {@link #pendingChunks()}) and by the start-up scan of the control stream.
 *
 * <p>Incomplete chunk sets are bounded: when a fifth set starts, the oldest incomplete one is dropped, and a set that
 * gets no chunk during {@value #MAX_MESSAGES_WITHOUT_PROGRESS} control messages is dropped. Each drop is reported as a
 * rejection.
 */
public final class ChunkAssembly {
    static final int MAX_PENDING_SETS = 4;
    static final int MAX_MESSAGES_WITHOUT_PROGRESS = 256;

    /** Pending sets by "version\nhash", oldest first. */
    private final LinkedHashMap<String, PendingSet> pending = new LinkedHashMap<>();
    private long messages;

    /** What one control record produced: at most one complete bundle, and any rejections. */
    public static final class Outcome {
        public final RuleBundle bundle;
        public final List<Rejection> rejections;

        Outcome(RuleBundle bundle, List<Rejection> rejections) {
            this.bundle = bundle;
            this.rejections = rejections;
        }
    }

    /** A control record, or a chunk set, that did not become a bundle. */
    public static final class Rejection {
        public final String version;
        public final String hash;
        public final String reason;
        public final String origin;

        Rejection(String version, String hash, String reason, String origin) {
            this.version = version;
            this.hash = hash;
            this.reason = reason;
            this.origin = origin;
        }

        @Override
        public String toString() {
            return "rejected " + (version == null ? "control message" : "bundle " + version) + " from " + origin
                    + ": " + reason;
        }
    }

    private static final class PendingSet {
        final String version;
        final String hash;
        final int count;
        final TreeMap<Integer, Chunk> chunks = new TreeMap<>();
        long lastMessage;

        PendingSet(String version, String hash, int count) {
            this.version = version;
            this.hash = hash;
            this.count = count;
        }
    }

    private static final class Chunk {
        final byte[] slice;
        final String origin;

        Chunk(byte[] slice, String origin) {
            this.slice = slice;
            this.origin = origin;
        }
    }

    /** Accepts the next control record. */
    public Outcome accept(byte[] data, String origin) {
        messages++;
        List<Rejection> rejections = new ArrayList<>();
        RuleBundle bundle = null;
        try {
            ControlMessage m = ControlMessage.parse(data, origin);
            if (m.isChunk()) {
                bundle = addChunk(m, origin, rejections);
            } else {
                bundle = m.bundle();
            }
        } catch (InvalidBundleException e) {
            rejections.add(new Rejection(null, null, e.getMessage(), origin));
        }
        expireStale(rejections);
        return new Outcome(bundle, rejections);
    }

    private RuleBundle addChunk(ControlMessage m, String origin, List<Rejection> rejections)
            throws InvalidBundleException {
        String key = m.version() + "\n" + m.hash();
        PendingSet set = pending.get(key);
        if (set == null) {
            while (pending.size() >= MAX_PENDING_SETS) {
                Iterator<PendingSet> oldest = pending.values().iterator();
                PendingSet dropped = oldest.next();
                oldest.remove();
                rejections.add(dropReason(dropped, "dropped because " + MAX_PENDING_SETS
                        + " newer chunked bundles started before it completed"));
            }
            set = new PendingSet(m.version(), m.hash(), m.count());
            pending.put(key, set);
        } else if (set.count != m.count()) {
            pending.remove(key);
            throw new InvalidBundleException("chunks of bundle " + m.version() + " disagree on their count ("
                    + set.count + " and " + m.count() + ")");
        }
        set.chunks.put(m.index(), new Chunk(m.slice(), origin));
        set.lastMessage = messages;
        if (set.chunks.size() < set.count) {
            return null;
        }
        pending.remove(key);
        return assemble(set, origin);
    }

    private static RuleBundle assemble(PendingSet set, String origin) throws InvalidBundleException {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (Chunk c : set.chunks.values()) {
            whole.write(c.slice, 0, c.slice.length);
            if (whole.size() > io.trailguard.job.JobJson.MAX_BUNDLE_BYTES) {
                throw new InvalidBundleException("chunked bundle " + set.version + " is larger than "
                        + io.trailguard.job.JobJson.MAX_BUNDLE_BYTES + " bytes");
            }
        }
        ControlMessage inner = ControlMessage.parse(whole.toByteArray(), origin);
        if (inner.isChunk()) {
            throw new InvalidBundleException("chunked bundle " + set.version + " reassembles to a chunk message");
        }
        RuleBundle b = inner.bundle();
        if (!b.version().equals(set.version) || !b.hash().equals(set.hash)) {
            throw new InvalidBundleException("chunked bundle " + set.version + " reassembles to bundle "
                    + b.version() + " with hash " + b.hash() + ", not the version and hash its chunks name");
        }
        return b;
    }

    private void expireStale(List<Rejection> rejections) {
        Iterator<PendingSet> it = pending.values().iterator();
        while (it.hasNext()) {
            PendingSet set = it.next();
            if (messages - set.lastMessage > MAX_MESSAGES_WITHOUT_PROGRESS) {
                it.remove();
                rejections.add(dropReason(set, "dropped after " + MAX_MESSAGES_WITHOUT_PROGRESS
                        + " control messages without a new chunk"));
            }
        }
    }

    private static Rejection dropReason(PendingSet set, String why) {
        String origin = set.chunks.isEmpty() ? "" : set.chunks.lastEntry().getValue().origin;
        return new Rejection(set.version, set.hash, "incomplete chunked bundle (" + set.chunks.size() + " of "
                + set.count + " chunks received) " + why, origin);
    }

    /** Number of incomplete chunk sets held. */
    public int pendingSets() {
        return pending.size();
    }

    /** The held chunks, one JSON document each, for a checkpoint. */
    public List<String> pendingChunks() {
        List<String> out = new ArrayList<>();
        for (PendingSet set : pending.values()) {
            for (Map.Entry<Integer, Chunk> e : set.chunks.entrySet()) {
                ObjectNode n = JobJson.mapper().createObjectNode();
                n.put("version", set.version);
                n.put("hash", set.hash);
                n.put("index", e.getKey());
                n.put("count", set.count);
                n.put("data", Base64.getEncoder().encodeToString(e.getValue().slice));
                n.put("origin", e.getValue().origin);
                out.add(JobJson.write(n));
            }
        }
        return out;
    }

    /** Restores chunks saved by {@link #pendingChunks()}. */
    public void restore(Iterable<String> savedChunks) {
        for (String json : savedChunks) {
            try {
                JsonNode n = JobJson.mapper().readTree(json);
                String version = n.get("version").asText();
                String hash = n.get("hash").asText();
                int count = n.get("count").intValue();
                PendingSet set = pending.computeIfAbsent(version + "\n" + hash,
                        k -> new PendingSet(version, hash, count));
                set.chunks.put(n.get("index").intValue(),
                        new Chunk(Base64.getDecoder().decode(n.get("data").asText()), n.path("origin").asText("")));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("unreadable pending chunk in state: " + e.getMessage(), e);
            }
        }
        for (PendingSet set : pending.values()) {
            set.lastMessage = messages;
        }
    }
}

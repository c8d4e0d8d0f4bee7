package io.trailguard.job.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.config.Durations;
import io.trailguard.job.serde.JobJson;

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
 * bundle-assembling operator (which checkpoints {@link #pendingChunks()}) and by the start-up scan of the control stream.
 *
 * <p>Incomplete chunk sets are bounded, and each one dropped is reported as an {@linkplain Rejection#incomplete
 * incomplete} rejection naming the chunks received ({@code 3 of 5 chunks: 0, 1, 3 (missing 2, 4)}, 0-based indexes as
 * in the messages). A set is dropped
 * <ul>
 *   <li>when a newer bundle arrives complete (a whole bundle, or another chunked set completing): the incomplete
 *       set can no longer become the newest rules, and completing it later would roll the rules back;</li>
 *   <li>when it is still incomplete {@code timeout} after its first chunk arrived (processing time, given by the
 *       caller: {@link #expire(long)}; {@link #nextDeadline()} tells when to call it);</li>
 *   <li>when a fifth set starts (the oldest goes), or when it gets no chunk during
 *       {@value #MAX_MESSAGES_WITHOUT_PROGRESS} control messages.</li>
 * </ul>
 */
public final class ChunkAssembly {
    static final int MAX_PENDING_SETS = 4;
    static final int MAX_MESSAGES_WITHOUT_PROGRESS = 256;

    /** Pending sets by "version\nhash", oldest first. */
    private final LinkedHashMap<String, PendingSet> pending = new LinkedHashMap<>();
    private final long timeoutMillis;
    private long messages;

    /** Without a time limit (the start-up scan reads the whole stream at once). */
    public ChunkAssembly() {
        this(Long.MAX_VALUE);
    }

    /** Sets still incomplete {@code timeoutMillis} after their first chunk are dropped by {@link #expire(long)}. */
    public ChunkAssembly(long timeoutMillis) {
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("chunk timeout must be positive, got " + timeoutMillis + " ms");
        }
        this.timeoutMillis = timeoutMillis;
    }

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
        /** True for a chunked bundle discarded before all its chunks arrived (an {@code incomplete} status). */
        public final boolean incomplete;

        Rejection(String version, String hash, String reason, String origin) {
            this(version, hash, reason, origin, false);
        }

        Rejection(String version, String hash, String reason, String origin, boolean incomplete) {
            this.version = version;
            this.hash = hash;
            this.reason = reason;
            this.origin = origin;
            this.incomplete = incomplete;
        }

        @Override
        public String toString() {
            return (incomplete ? "incomplete " : "rejected ") + (version == null ? "control message"
                    : "bundle " + version) + " from " + origin + ": " + reason;
        }
    }

    private static final class PendingSet {
        final String version;
        final String hash;
        final int count;
        final TreeMap<Integer, Chunk> chunks = new TreeMap<>();
        long lastMessage;
        /** Processing time of the first chunk (or of the restore), for the timeout. */
        long startedAt;

        PendingSet(String version, String hash, int count, long startedAt) {
            this.version = version;
            this.hash = hash;
            this.count = count;
            this.startedAt = startedAt;
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

    /** Accepts the next control record (processing time unknown: 0, for a scan without a time limit). */
    public Outcome accept(byte[] data, String origin) {
        return accept(data, origin, 0L);
    }

    /** Accepts the next control record, arrived at processing time {@code nowMillis}. */
    public Outcome accept(byte[] data, String origin, long nowMillis) {
        messages++;
        List<Rejection> rejections = new ArrayList<>();
        RuleBundle bundle = null;
        try {
            ControlMessage m = ControlMessage.parse(data, origin);
            if (m.isChunk()) {
                bundle = addChunk(m, origin, nowMillis, rejections);
            } else {
                bundle = m.bundle();
            }
        } catch (InvalidBundleException e) {
            rejections.add(new Rejection(null, null, e.getMessage(), origin));
        }
        if (bundle != null) {
            supersede(bundle, rejections);
        }
        expireStale(rejections);
        return new Outcome(bundle, rejections);
    }

    /** Drops the sets still incomplete {@code timeout} after their first chunk; call at {@link #nextDeadline()}. */
    public List<Rejection> expire(long nowMillis) {
        List<Rejection> rejections = new ArrayList<>();
        Iterator<PendingSet> it = pending.values().iterator();
        while (it.hasNext()) {
            PendingSet set = it.next();
            if (deadline(set) <= nowMillis) {
                it.remove();
                rejections.add(dropReason(set, "discarded: still incomplete " + Durations.format(java.time.Duration.ofMillis(timeoutMillis))
                        + " after its first chunk (bundles.chunk_timeout)"));
            }
        }
        return rejections;
    }

    /** The processing time at which the oldest incomplete set times out, or {@code Long.MAX_VALUE} when none does. */
    public long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (PendingSet set : pending.values()) {
            next = Math.min(next, deadline(set));
        }
        return next;
    }

    private long deadline(PendingSet set) {
        return timeoutMillis == Long.MAX_VALUE || set.startedAt > Long.MAX_VALUE - timeoutMillis ? Long.MAX_VALUE
                : set.startedAt + timeoutMillis;
    }

    /** A complete bundle arrived: every set still incomplete is older and can no longer become the newest rules. */
    private void supersede(RuleBundle newer, List<Rejection> rejections) {
        for (PendingSet set : pending.values()) {
            rejections.add(dropReason(set, "discarded: the newer bundle " + newer.version() + " ("
                    + newer.shortHash() + ") arrived complete first"));
        }
        pending.clear();
    }

    private RuleBundle addChunk(ControlMessage m, String origin, long nowMillis, List<Rejection> rejections)
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
            set = new PendingSet(m.version(), m.hash(), m.count(), nowMillis);
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
            if (whole.size() > JobJson.MAX_BUNDLE_BYTES) {
                throw new InvalidBundleException("chunked bundle " + set.version + " is larger than "
                        + JobJson.MAX_BUNDLE_BYTES + " bytes");
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
        return new Rejection(set.version, set.hash, "incomplete chunked bundle " + set.version + ": "
                + received(set) + "; " + why, origin, true);
    }

    /** {@code 3 of 5 chunks: 0, 1, 3 (missing 2, 4)}, indexes 0-based as in the chunk messages. */
    private static String received(PendingSet set) {
        StringBuilder b = new StringBuilder().append(set.chunks.size()).append(" of ").append(set.count)
                .append(" chunks: ");
        int listed = 0;
        for (Integer i : set.chunks.keySet()) {
            b.append(listed++ == 0 ? "" : ", ").append(i);
        }
        b.append(" (missing ");
        int missing = 0;
        for (int i = 0; i < set.count; i++) {
            if (!set.chunks.containsKey(i)) {
                b.append(missing++ == 0 ? "" : ", ").append(i);
            }
        }
        return b.append(')').toString();
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

    /** Restores chunks saved by {@link #pendingChunks()}; the timeout of a restored set runs from {@code nowMillis}. */
    public void restore(Iterable<String> savedChunks, long nowMillis) {
        for (String json : savedChunks) {
            try {
                JsonNode n = JobJson.mapper().readTree(json);
                String version = n.get("version").asText();
                String hash = n.get("hash").asText();
                int count = n.get("count").intValue();
                PendingSet set = pending.computeIfAbsent(version + "\n" + hash,
                        k -> new PendingSet(version, hash, count, nowMillis));
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

package io.trailguard.job.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import io.trailguard.rules.source.RuleSource;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A complete set of rule files with a version id and a content hash: what the control stream carries and what the
 * broadcast state holds as the active rules.
 *
 * <p>Message form (one Kinesis record, or reassembled from chunks, see {@link ControlMessage}):
 * <pre>{"type":"bundle","version":"...","hash":"&lt;sha256 hex&gt;","createdAt":"...","files":[{"name":"...","content":"..."}]}</pre>
 * The hash is SHA-256 over the files in order, each as: 8-byte big-endian length of the UTF-8 name, the name, 8-byte
 * big-endian length of the UTF-8 content, the content ({@link #contentHash}). It covers the rules only, so the same
 * files published twice have the same hash whatever their version ids.
 *
 * <p>A bundle made with {@code publish --allow-empty} carries {@code "intentionallyEmpty":true}: it is meant to have
 * no enabled rule (it turns detection off on purpose), and only such a bundle may have no enabled rule or no file
 * ({@link CompiledBundle} refuses every other one). The marker is covered by the hash: after the files, one more
 * length-prefixed item, {@value #EMPTY_MARKER}, is hashed (the files contribute items in pairs, so no set of files
 * hashes the same). The signature covers the hash, so the marker cannot be added to, or removed from, a signed bundle.
 *
 * <p>A message may also carry a {@code "signature"} ({@link BundleSignature}) over the hash, version and createdAt.
 *
 * <p>{@link #origin()} says where the bundle came from ({@code shardId:sequenceNumber} of its last control record,
 * {@code bundled}, or the rules path); it is not part of the message.
 */
public final class RuleBundle implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The item appended to the hashed content of an intentionally empty bundle. */
    static final String EMPTY_MARKER = "trailguard:intentionally-empty";
    /** The message member that marks an intentionally empty bundle. */
    static final String EMPTY_KEY = "intentionallyEmpty";

    private final String version;
    private final String hash;
    private final String createdAt;
    private final ArrayList<BundleFile> files;
    private final String origin;
    private final BundleSignature signature;
    private final boolean intentionallyEmpty;

    private RuleBundle(String version, String hash, String createdAt, List<BundleFile> files, String origin,
                       BundleSignature signature, boolean intentionallyEmpty) {
        this.version = Objects.requireNonNull(version, "version");
        this.hash = Objects.requireNonNull(hash, "hash");
        this.createdAt = createdAt;
        this.files = new ArrayList<>(files);
        this.origin = origin;
        this.signature = signature;
        this.intentionallyEmpty = intentionallyEmpty;
    }

    /** A bundle of these files with its hash computed. */
    public static RuleBundle of(String version, String createdAt, List<BundleFile> files, String origin) {
        return new RuleBundle(version, contentHash(files, false), createdAt, files, origin, null, false);
    }

    /**
     * A bundle marked as intentionally empty ({@code publish --allow-empty}): it disables detection. {@code files} may
     * be empty, or hold files without an enabled rule (lists and macros, disabled rules).
     */
    public static RuleBundle intentionallyEmpty(String version, String createdAt, List<BundleFile> files,
                                                String origin) {
        return new RuleBundle(version, contentHash(files, true), createdAt, files, origin, null, true);
    }

    /** A bundle of loaded rule sources (file names as the sources name them). */
    public static RuleBundle ofSources(String version, String createdAt, List<RuleSource> sources, String origin) {
        List<BundleFile> files = new ArrayList<>();
        for (RuleSource s : sources) {
            files.add(new BundleFile(s.name(), s.text()));
        }
        return of(version, createdAt, files, origin);
    }

    public String version() {
        return version;
    }

    /** The hash the bundle claims (verify with {@link #hashMatches()}). */
    public String hash() {
        return hash;
    }

    /** The first 12 hex digits of the hash, for log lines. */
    public String shortHash() {
        return hash.length() > 12 ? hash.substring(0, 12) : hash;
    }

    public String createdAt() {
        return createdAt;
    }

    public List<BundleFile> files() {
        return Collections.unmodifiableList(files);
    }

    public String origin() {
        return origin;
    }

    public RuleBundle withOrigin(String newOrigin) {
        return new RuleBundle(version, hash, createdAt, files, newOrigin, signature, intentionallyEmpty);
    }

    /** True when the bundle is marked as meant to have no enabled rule ({@code publish --allow-empty}). */
    public boolean isIntentionallyEmpty() {
        return intentionallyEmpty;
    }

    /** The names of the files, for messages: at most {@code max}, then "and N more". */
    public String fileNames(int max) {
        if (files.isEmpty()) {
            return "(none)";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(max, files.size()); i++) {
            b.append(i == 0 ? "" : ", ").append(files.get(i).name());
        }
        if (files.size() > max) {
            b.append(" and ").append(files.size() - max).append(" more");
        }
        return b.toString();
    }

    /** The signature the message carries (see {@link BundleSignature}), or null when it is unsigned. */
    public BundleSignature signature() {
        return signature;
    }

    /** A copy carrying this signature (null: unsigned). */
    public RuleBundle withSignature(BundleSignature s) {
        return new RuleBundle(version, hash, createdAt, files, origin, s, intentionallyEmpty);
    }

    /** True when the claimed hash is the hash of the files. */
    public boolean hashMatches() {
        return hash.equals(contentHash(files, intentionallyEmpty));
    }

    /** The files as rule-loader sources. */
    public List<RuleSource> ruleSources() {
        List<RuleSource> out = new ArrayList<>(files.size());
        for (BundleFile f : files) {
            out.add(new RuleSource(f.name(), f.content()));
        }
        return out;
    }

    /** SHA-256 (lowercase hex) over the files of a bundle that is not marked intentionally empty. */
    public static String contentHash(List<BundleFile> files) {
        return contentHash(files, false);
    }

    /** SHA-256 (lowercase hex) over the files and the empty marker, as described in the class comment. */
    public static String contentHash(List<BundleFile> files, boolean intentionallyEmpty) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        for (BundleFile f : files) {
            lengthPrefixed(sha, f.name().getBytes(StandardCharsets.UTF_8));
            lengthPrefixed(sha, f.content().getBytes(StandardCharsets.UTF_8));
        }
        if (intentionallyEmpty) {
            lengthPrefixed(sha, EMPTY_MARKER.getBytes(StandardCharsets.UTF_8));
        }
        return hex(sha.digest());
    }

    private static void lengthPrefixed(MessageDigest sha, byte[] bytes) {
        sha.update(ByteBuffer.allocate(8).putLong(bytes.length).array());
        sha.update(bytes);
    }

    static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder(bytes.length * 2);
        for (byte x : bytes) {
            b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return b.toString();
    }

    /** The control-message form, {@code {"type":"bundle",...}}. */
    public ObjectNode toMessage() {
        ObjectNode n = JobJson.mapper().createObjectNode();
        n.put("type", ControlMessage.TYPE_BUNDLE);
        n.put("version", version);
        n.put("hash", hash);
        if (createdAt != null) {
            n.put("createdAt", createdAt);
        }
        if (intentionallyEmpty) {
            n.put(EMPTY_KEY, true);
        }
        ArrayNode fs = n.putArray("files");
        for (BundleFile f : files) {
            fs.addObject().put("name", f.name()).put("content", f.content());
        }
        if (signature != null) {
            signature.writeTo(n);
        }
        return n;
    }

    public byte[] toMessageBytes() {
        return JobJson.write(toMessage()).getBytes(StandardCharsets.UTF_8);
    }

    /** The form kept in broadcast state: the message plus {@code origin}. */
    public String toStateJson() {
        ObjectNode n = toMessage();
        if (origin != null) {
            n.put("origin", origin);
        }
        return JobJson.write(n);
    }

    /** Reads {@link #toStateJson()}. */
    public static RuleBundle fromStateJson(String json) {
        try {
            JsonNode n = JobJson.mapper().readTree(json);
            return fromMessage(n, text(n, "origin"));
        } catch (JsonProcessingException | InvalidBundleException e) {
            throw new IllegalStateException("unreadable rule bundle in state: " + e.getMessage(), e);
        }
    }

    /** Reads a {@code {"type":"bundle",...}} message; the hash is read as claimed, not verified. */
    public static RuleBundle fromMessage(JsonNode n, String origin) throws InvalidBundleException {
        if (n == null || !n.isObject()) {
            throw new InvalidBundleException("a rule bundle must be a JSON object");
        }
        String version = requiredText(n, "version");
        String hash = requiredText(n, "hash");
        JsonNode fs = n.get("files");
        if (fs == null || !fs.isArray()) {
            throw new InvalidBundleException("rule bundle " + version + ": 'files' must be an array");
        }
        JsonNode marker = n.get(EMPTY_KEY);
        if (marker != null && !marker.isBoolean()) {
            throw new InvalidBundleException("rule bundle " + version + ": '" + EMPTY_KEY + "' must be true or false");
        }
        boolean empty = marker != null && marker.booleanValue();
        if (fs.isEmpty() && !empty) {
            throw new InvalidBundleException("rule bundle " + version + ": 'files' is empty (a bundle that disables "
                    + "detection on purpose is published with publish --allow-empty)");
        }
        List<BundleFile> files = new ArrayList<>();
        for (int i = 0; i < fs.size(); i++) {
            JsonNode f = fs.get(i);
            String name = f.path("name").isTextual() ? f.get("name").asText() : null;
            String content = f.path("content").isTextual() ? f.get("content").asText() : null;
            if (name == null || content == null) {
                throw new InvalidBundleException("rule bundle " + version + ": files[" + i
                        + "] needs string 'name' and 'content'");
            }
            files.add(new BundleFile(name, content));
        }
        return new RuleBundle(version, hash, text(n, "createdAt"), files, origin, BundleSignature.read(n, version),
                empty);
    }

    private static String requiredText(JsonNode n, String key) throws InvalidBundleException {
        String v = text(n, key);
        if (v == null || v.isEmpty()) {
            throw new InvalidBundleException("rule bundle: missing string '" + key + "'");
        }
        return v;
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RuleBundle)) {
            return false;
        }
        RuleBundle that = (RuleBundle) o;
        return version.equals(that.version) && hash.equals(that.hash) && Objects.equals(createdAt, that.createdAt)
                && files.equals(that.files) && Objects.equals(origin, that.origin)
                && Objects.equals(signature, that.signature) && intentionallyEmpty == that.intentionallyEmpty;
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, hash, files);
    }

    @Override
    public String toString() {
        return "RuleBundle{" + version + " " + shortHash() + ", " + files.size() + " files"
                + (intentionallyEmpty ? ", intentionally empty" : "") + ", from " + origin + "}";
    }
}

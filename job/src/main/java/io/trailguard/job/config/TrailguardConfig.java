package io.trailguard.job.config;

import io.trailguard.rules.engine.MatchingMode;
import software.amazon.awssdk.profiles.ProfileFile;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The job's one configuration model: flat keys ({@link ConfigKey}) with string values, layered from, in increasing
 * precedence, the defaults, the Managed Flink application property groups, a properties file, and command-line flags.
 * Values are validated when read through the typed accessors. Immutable.
 *
 * <p>Property groups: keys of the group {@value #MAIN_GROUP} are taken as they are; a key {@code k} of any other group
 * {@code G} is taken as {@code G.k} (so group {@code events} with key {@code stream} sets {@code events.stream}).
 */
public final class TrailguardConfig implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The Managed Flink property group whose keys are taken verbatim. */
    public static final String MAIN_GROUP = "trailguard";

    private final TreeMap<String, String> values;

    private TrailguardConfig(Map<String, String> values) {
        this.values = new TreeMap<>(values);
    }

    public static TrailguardConfig empty() {
        return new TrailguardConfig(Collections.emptyMap());
    }

    /** A copy with {@code key} set; throws IllegalArgumentException for an unknown key. */
    public TrailguardConfig with(String key, String value) {
        requireKnown(key, "");
        Map<String, String> m = new TreeMap<>(values);
        m.put(key, value);
        return new TrailguardConfig(m);
    }

    /** A copy with every entry set; {@code source} names the origin in error messages. */
    public TrailguardConfig withAll(Map<String, String> entries, String source) {
        Map<String, String> m = new TreeMap<>(values);
        for (Map.Entry<String, String> e : entries.entrySet()) {
            requireKnown(e.getKey(), " (in " + source + ")");
            m.put(e.getKey(), e.getValue());
        }
        return new TrailguardConfig(m);
    }

    /** The entries of a Java properties file. */
    public static Map<String, String> readPropertiesFile(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : p.stringPropertyNames()) {
            m.put(k.trim(), p.getProperty(k).trim());
        }
        return m;
    }

    /**
     * The entries of Managed Flink property groups (see the class comment). Keys that name no setting are reported
     * to {@code warnings} and skipped: other groups may exist for other purposes.
     */
    public static Map<String, String> fromPropertyGroups(Map<String, Properties> groups, Consumer<String> warnings) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, Properties> g : groups.entrySet()) {
            boolean main = g.getKey().equalsIgnoreCase(MAIN_GROUP);
            for (String k : g.getValue().stringPropertyNames()) {
                String key = main ? k.trim() : g.getKey().trim() + "." + k.trim();
                if (ConfigKey.of(key) == null) {
                    warnings.accept("property group " + g.getKey() + ": ignoring " + k + " (no setting " + key + ")");
                } else {
                    m.put(key, g.getValue().getProperty(k).trim());
                }
            }
        }
        return m;
    }

    private static void requireKnown(String key, String where) {
        if (ConfigKey.of(key) == null) {
            throw new IllegalArgumentException("unknown configuration key '" + key + "'" + where
                    + "; see job/CONFIGURATION.md");
        }
    }

    /** The raw value, or the key's default; "" when neither. */
    public String get(ConfigKey key) {
        String v = values.get(key.key());
        return v == null ? key.defaultValue() : v;
    }

    public boolean isSet(ConfigKey key) {
        String v = values.get(key.key());
        return v != null && !v.isEmpty();
    }

    /** Every explicitly set entry, sorted. */
    public Map<String, String> entries() {
        return Collections.unmodifiableMap(values);
    }

    // ---- typed accessors ------------------------------------------------------------------------------------

    public StreamRef eventsStream() {
        if (!isSet(ConfigKey.EVENTS_STREAM)) {
            throw new IllegalArgumentException("no events stream: set " + ConfigKey.EVENTS_STREAM.key()
                    + " (flag --events-stream)");
        }
        return StreamRef.parse(get(ConfigKey.EVENTS_STREAM));
    }

    /** The events stream, or null when only the S3 source ({@code events.queue}) is configured. */
    public StreamRef eventsStreamIfAny() {
        if (!isSet(ConfigKey.EVENTS_STREAM)) {
            if (isSet(ConfigKey.EVENTS_QUEUE)) {
                return null;
            }
            throw new IllegalArgumentException("no events stream or queue: set " + ConfigKey.EVENTS_STREAM.key()
                    + " (flag --events-stream) or " + ConfigKey.EVENTS_QUEUE.key() + " (flag --events-queue)");
        }
        return StreamRef.parse(get(ConfigKey.EVENTS_STREAM));
    }

    /** The S3-notification queue (name or URL), or null. */
    public String eventsQueue() {
        return isSet(ConfigKey.EVENTS_QUEUE) ? get(ConfigKey.EVENTS_QUEUE).trim() : null;
    }

    /** {@code events.accounts}: account ids to evaluate; empty means all. */
    public List<String> eventsAccounts() {
        return list(ConfigKey.EVENTS_ACCOUNTS);
    }

    /** {@code events.regions}: regions to evaluate; empty means all. */
    public List<String> eventsRegions() {
        return list(ConfigKey.EVENTS_REGIONS);
    }

    /** The S3 endpoint override, or null. */
    public String s3Endpoint() {
        return isSet(ConfigKey.S3_ENDPOINT) ? get(ConfigKey.S3_ENDPOINT).trim() : null;
    }

    /** The endpoint an S3 client uses: {@code s3.endpoint}, else {@code aws.endpoint}, else null (AWS's own). */
    public String s3EndpointOrShared() {
        return s3Endpoint() != null ? s3Endpoint() : endpoint();
    }

    /** The SQS endpoint override, or null. */
    public String sqsEndpoint() {
        return isSet(ConfigKey.SQS_ENDPOINT) ? get(ConfigKey.SQS_ENDPOINT).trim() : null;
    }

    /** The control stream, or null when none is configured. */
    public StreamRef controlStream() {
        return isSet(ConfigKey.CONTROL_STREAM) ? StreamRef.parse(get(ConfigKey.CONTROL_STREAM)) : null;
    }

    /** The AWS region (see {@link ConfigKey#AWS_REGION} for how it defaults). */
    public String region() {
        if (isSet(ConfigKey.AWS_REGION)) {
            return get(ConfigKey.AWS_REGION);
        }
        for (ConfigKey k : new ConfigKey[] {ConfigKey.EVENTS_STREAM, ConfigKey.CONTROL_STREAM}) {
            if (isSet(k)) {
                String r = StreamRef.parse(get(k)).region();
                if (r != null) {
                    return r;
                }
            }
        }
        for (String env : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
            String r = System.getenv(env);
            if (r != null && !r.isEmpty()) {
                return r;
            }
        }
        if (profile() != null) {
            Optional<String> r = ProfileFile.defaultProfileFile()
                    .profile(profile()).flatMap(p -> p.property("region"));
            if (r.isPresent() && !r.get().isEmpty()) {
                return r.get();
            }
        }
        if (endpoint() != null || s3Endpoint() != null || sqsEndpoint() != null) {
            return "us-east-1";
        }
        throw new IllegalArgumentException("no AWS region: set " + ConfigKey.AWS_REGION.key()
                + " (flag --aws-region), give the stream as an ARN, or set AWS_REGION");
    }

    /** The endpoint override, or null. */
    public String endpoint() {
        return isSet(ConfigKey.AWS_ENDPOINT) ? get(ConfigKey.AWS_ENDPOINT) : null;
    }

    public String eventsInitialPosition() {
        return position(ConfigKey.EVENTS_INITIAL_POSITION);
    }

    public String controlInitialPosition() {
        return position(ConfigKey.CONTROL_INITIAL_POSITION);
    }

    private String position(ConfigKey key) {
        String p = get(key).trim().toUpperCase(Locale.ROOT);
        if (!p.equals("LATEST") && !p.equals("TRIM_HORIZON") && !p.equals("AT_TIMESTAMP")) {
            throw new IllegalArgumentException(key.key() + " must be LATEST, TRIM_HORIZON or AT_TIMESTAMP, not '"
                    + get(key) + "'");
        }
        if (p.equals("AT_TIMESTAMP") && key == ConfigKey.EVENTS_INITIAL_POSITION) {
            eventsInitialTimestamp();
        } else if (p.equals("AT_TIMESTAMP")) {
            throw new IllegalArgumentException(key.key() + " must be LATEST or TRIM_HORIZON");
        }
        return p;
    }

    /** The {@code AT_TIMESTAMP} start of the events source. */
    public Instant eventsInitialTimestamp() {
        if (!isSet(ConfigKey.EVENTS_INITIAL_TIMESTAMP)) {
            throw new IllegalArgumentException(ConfigKey.EVENTS_INITIAL_TIMESTAMP.key()
                    + " is needed with AT_TIMESTAMP");
        }
        try {
            return Instant.parse(get(ConfigKey.EVENTS_INITIAL_TIMESTAMP));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(ConfigKey.EVENTS_INITIAL_TIMESTAMP.key()
                    + " must be an ISO-8601 instant such as 2026-01-01T12:00:00Z, not '"
                    + get(ConfigKey.EVENTS_INITIAL_TIMESTAMP) + "'");
        }
    }

    public Duration controlBootstrapTimeout() {
        return duration(ConfigKey.CONTROL_BOOTSTRAP_TIMEOUT);
    }

    public Duration outOfOrderness() {
        return duration(ConfigKey.OUT_OF_ORDERNESS);
    }

    public Duration idleness() {
        return duration(ConfigKey.IDLENESS);
    }

    public Duration dedupHorizon() {
        return duration(ConfigKey.DEDUP_HORIZON);
    }

    /** {@code pipeline.buffer_timeout}: Flink's network buffer timeout for the job. */
    public Duration bufferTimeout() {
        return duration(ConfigKey.BUFFER_TIMEOUT);
    }

    public Duration checkpointInterval() {
        return duration(ConfigKey.CHECKPOINT_INTERVAL);
    }

    /** A duration key ({@code 500ms}, {@code 1s}, {@code 15m}, {@code PT15M}). */
    public Duration duration(ConfigKey key) {
        try {
            Duration d = Durations.parse(get(key));
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key.key() + ": " + e.getMessage());
        }
    }

    public MatchingMode matching() {
        try {
            return MatchingMode.parse(get(ConfigKey.MATCHING));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ConfigKey.MATCHING.key() + ": " + e.getMessage());
        }
    }

    /** Rule files/directories loaded after the bundled packs (when {@link #bundledRules()}) as start-up rules. */
    public List<String> rulesPath() {
        return list(ConfigKey.RULES_PATH);
    }

    /** Whether the start-up rules begin with the bundled packs. */
    public boolean bundledRules() {
        return bool(ConfigKey.RULES_BUNDLED);
    }

    /** Rule-name patterns ({@code *} wildcard) turned off in the start-up rules. */
    public List<String> disabledRules() {
        return list(ConfigKey.RULES_DISABLE);
    }

    /** Tags whose rules are turned off in the start-up rules. */
    public List<String> disabledTags() {
        return list(ConfigKey.RULES_DISABLE_TAGS);
    }

    /** The named AWS profile for the process's clients, or null. */
    public String profile() {
        String p = get(ConfigKey.AWS_PROFILE).trim();
        return p.isEmpty() ? null : p;
    }

    public List<String> outputs() {
        return list(ConfigKey.OUTPUTS);
    }

    /** A boolean key; throws IllegalArgumentException when it is neither true nor false. */
    public boolean bool(ConfigKey key) {
        String v = get(key).trim().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(key.key() + " must be true or false, not '" + get(key) + "'");
        }
        return Boolean.parseBoolean(v);
    }

    public String deadLetterOutput() {
        return get(ConfigKey.DEAD_LETTER_OUTPUT).trim();
    }

    /** Local checkpoint directory, or null. */
    public String checkpointDir() {
        return isSet(ConfigKey.CHECKPOINT_DIR) ? get(ConfigKey.CHECKPOINT_DIR) : null;
    }

    /** Checkpoint or savepoint to resume from, or null. */
    public String checkpointRestore() {
        return isSet(ConfigKey.CHECKPOINT_RESTORE) ? get(ConfigKey.CHECKPOINT_RESTORE) : null;
    }

    /** True when a local run is to start with empty state whatever {@link #checkpointDir()} holds. */
    public boolean checkpointFresh() {
        boolean fresh = bool(ConfigKey.CHECKPOINT_FRESH);
        if (fresh && checkpointRestore() != null) {
            throw new IllegalArgumentException(ConfigKey.CHECKPOINT_RESTORE.key() + " and a fresh start ("
                    + ConfigKey.CHECKPOINT_FRESH.key() + ", --fresh) exclude each other: give one");
        }
        return fresh;
    }

    /** Complete checkpoints retained per run (at least 1). */
    public int checkpointRetained() {
        return positiveInt(ConfigKey.CHECKPOINT_RETAINED);
    }

    /** How long a stop waits for its savepoint; zero means no savepoint. */
    public Duration checkpointStopTimeout() {
        return duration(ConfigKey.CHECKPOINT_STOP_TIMEOUT);
    }

    /** Local parallelism: configured, else the number of CPUs (at most 4). */
    public int parallelism() {
        if (!isSet(ConfigKey.PARALLELISM)) {
            return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        }
        return positiveInt(ConfigKey.PARALLELISM);
    }

    private int positiveInt(ConfigKey key) {
        try {
            int p = Integer.parseInt(get(key).trim());
            if (p < 1) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key.key() + " must be a positive integer, not '" + get(key) + "'");
        }
    }

    public String webUiPort() {
        return get(ConfigKey.WEB_UI_PORT).trim();
    }

    /** The {@code kinesis.*} entries with the prefix removed. */
    public Map<String, String> kinesisProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().startsWith("kinesis.")) {
                m.put(e.getKey().substring("kinesis.".length()), e.getValue());
            }
        }
        return m;
    }

    private List<String> list(ConfigKey key) {
        List<String> out = new ArrayList<>();
        for (String s : get(key).split(",")) {
            if (!s.trim().isEmpty()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "TrailguardConfig" + values;
    }
}

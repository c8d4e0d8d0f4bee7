package io.trailguard.job.pipeline;

import io.trailguard.job.bundle.ActiveRules;
import io.trailguard.job.bundle.BundleVerifier;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.ConfigKey;
import io.trailguard.rules.engine.MatchingMode;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/** What the detection graph needs besides its sources and outputs. Immutable; {@code with...} returns a copy. */
public final class PipelineSettings {
    /** Default dedup horizon ({@code dedup.horizon}): EventBridge redeliveries arrive well within an hour. */
    public static final Duration DEFAULT_DEDUP_HORIZON = ConfigKey.DEDUP_HORIZON.defaultDuration();
    /** Default bounded out-of-orderness of event time ({@code event_time.out_of_orderness}). */
    public static final Duration DEFAULT_OUT_OF_ORDERNESS = ConfigKey.OUT_OF_ORDERNESS.defaultDuration();
    /** Default time after which an input without events stops holding back event time ({@code event_time.idleness}). */
    public static final Duration DEFAULT_IDLENESS = ConfigKey.IDLENESS.defaultDuration();
    /** Default time a rate-rule signal may be behind the watermark and still count ({@code rate.allowed_lateness}). */
    public static final Duration DEFAULT_ALLOWED_LATENESS = ConfigKey.RATE_ALLOWED_LATENESS.defaultDuration();
    /** Default time a finding id's times are kept ({@code findings.times_ttl}). */
    public static final Duration DEFAULT_FINDING_TIMES_TTL = ConfigKey.FINDINGS_TIMES_TTL.defaultDuration();
    /** Default time a chunked rule bundle may stay incomplete ({@code bundles.chunk_timeout}). */
    public static final Duration DEFAULT_CHUNK_TIMEOUT = ConfigKey.BUNDLES_CHUNK_TIMEOUT.defaultDuration();

    private final RuleBundle startupBundle;
    private final MatchingMode matching;
    private final Duration dedupHorizon;
    private final Duration outOfOrderness;
    private final Duration idleness;
    private final boolean bounded;
    private final Duration allowedLateness;
    private final BundleVerifier verifier;
    private final Duration chunkTimeout;
    private final Duration findingTimesTtl;

    private PipelineSettings(Values v) {
        this.findingTimesTtl = positive(v.findingTimesTtl, "finding times TTL");
        this.chunkTimeout = positive(v.chunkTimeout, "chunk timeout");
        this.verifier = Objects.requireNonNull(v.verifier, "verifier");
        this.startupBundle = Objects.requireNonNull(v.startupBundle, "startupBundle");
        this.matching = Objects.requireNonNull(v.matching, "matching");
        this.dedupHorizon = positive(v.dedupHorizon, "dedup horizon");
        this.outOfOrderness = notNegative(v.outOfOrderness, "out-of-orderness");
        this.idleness = positive(v.idleness, "idleness");
        this.bounded = v.bounded;
        this.allowedLateness = notNegative(v.allowedLateness, "allowed lateness");
    }

    /** The settings as they are being changed: a copy of this one's, checked when built. */
    private static final class Values {
        RuleBundle startupBundle;
        MatchingMode matching = MatchingMode.ALL;
        Duration dedupHorizon = DEFAULT_DEDUP_HORIZON;
        Duration outOfOrderness = DEFAULT_OUT_OF_ORDERNESS;
        Duration idleness = DEFAULT_IDLENESS;
        boolean bounded;
        Duration allowedLateness = DEFAULT_ALLOWED_LATENESS;
        BundleVerifier verifier = BundleVerifier.none();
        Duration chunkTimeout = DEFAULT_CHUNK_TIMEOUT;
        Duration findingTimesTtl = DEFAULT_FINDING_TIMES_TTL;
    }

    /** A copy of these settings with {@code change} applied. */
    private PipelineSettings with(Consumer<Values> change) {
        Values v = new Values();
        v.startupBundle = startupBundle;
        v.matching = matching;
        v.dedupHorizon = dedupHorizon;
        v.outOfOrderness = outOfOrderness;
        v.idleness = idleness;
        v.bounded = bounded;
        v.allowedLateness = allowedLateness;
        v.verifier = verifier;
        v.chunkTimeout = chunkTimeout;
        v.findingTimesTtl = findingTimesTtl;
        change.accept(v);
        return new PipelineSettings(v);
    }

    private static PipelineSettings defaults(RuleBundle startupBundle, boolean bounded) {
        Values v = new Values();
        v.startupBundle = startupBundle;
        v.bounded = bounded;
        return new PipelineSettings(v);
    }

    /** How far behind the watermark a rate-rule signal may be and still count (later: dead-lettered as late). */
    public PipelineSettings withAllowedLateness(Duration d) {
        return with(v -> v.allowedLateness = d);
    }

    /** Signature checks for bundles from the control stream (default: none, every well-formed bundle is accepted). */
    public PipelineSettings withBundleVerifier(BundleVerifier v) {
        return with(values -> values.verifier = v);
    }

    /** How long a chunked rule bundle may stay incomplete (processing time) before it is discarded and reported. */
    public PipelineSettings withChunkTimeout(Duration d) {
        return with(v -> v.chunkTimeout = d);
    }

    /** How long a finding id's times stay in the finding-times stage's state after its last version. */
    public PipelineSettings withFindingTimesTtl(Duration d) {
        return with(v -> v.findingTimesTtl = d);
    }

    public Duration findingTimesTtl() {
        return findingTimesTtl;
    }

    public Duration chunkTimeout() {
        return chunkTimeout;
    }

    public BundleVerifier bundleVerifier() {
        return verifier;
    }

    /** The start-up bundle with its matching mode and verifier: the rules of one operator of the graph. */
    public ActiveRules activeRules() {
        return new ActiveRules(startupBundle, matching, verifier);
    }

    public Duration allowedLateness() {
        return allowedLateness;
    }

    /** Streaming settings with the defaults of {@link ConfigKey}: matching {@code all}, dedup, out-of-orderness, idleness. */
    public static PipelineSettings streaming(RuleBundle startupBundle) {
        return defaults(startupBundle, false);
    }

    /**
     * Settings for bounded input (replay): no watermarks until the end of input, so that event-time logic sees all
     * input before time advances to the end.
     */
    public static PipelineSettings bounded(RuleBundle startupBundle) {
        return defaults(startupBundle, true);
    }

    public PipelineSettings withMatching(MatchingMode m) {
        return with(v -> v.matching = m);
    }

    public PipelineSettings withDedupHorizon(Duration d) {
        return with(v -> v.dedupHorizon = d);
    }

    public PipelineSettings withOutOfOrderness(Duration d) {
        return with(v -> v.outOfOrderness = d);
    }

    public PipelineSettings withIdleness(Duration d) {
        return with(v -> v.idleness = d);
    }

    public PipelineSettings withStartupBundle(RuleBundle b) {
        return with(v -> v.startupBundle = b);
    }

    public RuleBundle startupBundle() {
        return startupBundle;
    }

    public MatchingMode matching() {
        return matching;
    }

    public Duration dedupHorizon() {
        return dedupHorizon;
    }

    public Duration outOfOrderness() {
        return outOfOrderness;
    }

    public Duration idleness() {
        return idleness;
    }

    public boolean bounded() {
        return bounded;
    }

    private static Duration positive(Duration d, String what) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
        return d;
    }

    private static Duration notNegative(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + d);
        }
        return d;
    }
}

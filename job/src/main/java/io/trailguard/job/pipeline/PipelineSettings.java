package io.trailguard.job.pipeline;

import io.trailguard.job.bundle.ActiveRules;
import io.trailguard.job.bundle.BundleVerifier;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.ConfigKey;
import io.trailguard.rules.engine.MatchingMode;

import java.time.Duration;
import java.util.Objects;

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

    private PipelineSettings(RuleBundle startupBundle, MatchingMode matching, Duration dedupHorizon,
                             Duration outOfOrderness, Duration idleness, boolean bounded) {
        this(startupBundle, matching, dedupHorizon, outOfOrderness, idleness, bounded, DEFAULT_ALLOWED_LATENESS);
    }

    private PipelineSettings(RuleBundle startupBundle, MatchingMode matching, Duration dedupHorizon,
                             Duration outOfOrderness, Duration idleness, boolean bounded, Duration allowedLateness) {
        this(startupBundle, matching, dedupHorizon, outOfOrderness, idleness, bounded, allowedLateness,
                BundleVerifier.none(), DEFAULT_CHUNK_TIMEOUT);
    }

    private PipelineSettings(RuleBundle startupBundle, MatchingMode matching, Duration dedupHorizon,
                             Duration outOfOrderness, Duration idleness, boolean bounded, Duration allowedLateness,
                             BundleVerifier verifier, Duration chunkTimeout) {
        this.chunkTimeout = positive(chunkTimeout, "chunk timeout");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.startupBundle = Objects.requireNonNull(startupBundle, "startupBundle");
        this.matching = Objects.requireNonNull(matching, "matching");
        this.dedupHorizon = positive(dedupHorizon, "dedup horizon");
        this.outOfOrderness = notNegative(outOfOrderness, "out-of-orderness");
        this.idleness = positive(idleness, "idleness");
        this.bounded = bounded;
        this.allowedLateness = notNegative(allowedLateness, "allowed lateness");
    }

    /** How far behind the watermark a rate-rule signal may be and still count (later: dead-lettered as late). */
    public PipelineSettings withAllowedLateness(Duration d) {
        return new PipelineSettings(startupBundle, matching, dedupHorizon, outOfOrderness, idleness, bounded, d,
                verifier, chunkTimeout);
    }

    /** Signature checks for bundles from the control stream (default: none, every well-formed bundle is accepted). */
    public PipelineSettings withBundleVerifier(BundleVerifier v) {
        return new PipelineSettings(startupBundle, matching, dedupHorizon, outOfOrderness, idleness, bounded,
                allowedLateness, v, chunkTimeout);
    }

    /** How long a chunked rule bundle may stay incomplete (processing time) before it is discarded and reported. */
    public PipelineSettings withChunkTimeout(Duration d) {
        return new PipelineSettings(startupBundle, matching, dedupHorizon, outOfOrderness, idleness, bounded,
                allowedLateness, verifier, d);
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
        return new PipelineSettings(startupBundle, MatchingMode.ALL, DEFAULT_DEDUP_HORIZON, DEFAULT_OUT_OF_ORDERNESS,
                DEFAULT_IDLENESS, false);
    }

    /**
     * Settings for bounded input (replay): no watermarks until the end of input, so that event-time logic sees all
     * input before time advances to the end.
     */
    public static PipelineSettings bounded(RuleBundle startupBundle) {
        return new PipelineSettings(startupBundle, MatchingMode.ALL, DEFAULT_DEDUP_HORIZON, DEFAULT_OUT_OF_ORDERNESS,
                DEFAULT_IDLENESS, true);
    }

    public PipelineSettings withMatching(MatchingMode m) {
        return new PipelineSettings(startupBundle, m, dedupHorizon, outOfOrderness, idleness, bounded,
                allowedLateness, verifier, chunkTimeout);
    }

    public PipelineSettings withDedupHorizon(Duration d) {
        return new PipelineSettings(startupBundle, matching, d, outOfOrderness, idleness, bounded,
                allowedLateness, verifier, chunkTimeout);
    }

    public PipelineSettings withOutOfOrderness(Duration d) {
        return new PipelineSettings(startupBundle, matching, dedupHorizon, d, idleness, bounded,
                allowedLateness, verifier, chunkTimeout);
    }

    public PipelineSettings withIdleness(Duration d) {
        return new PipelineSettings(startupBundle, matching, dedupHorizon, outOfOrderness, d, bounded,
                allowedLateness, verifier, chunkTimeout);
    }

    public PipelineSettings withStartupBundle(RuleBundle b) {
        return new PipelineSettings(b, matching, dedupHorizon, outOfOrderness, idleness, bounded,
                allowedLateness, verifier, chunkTimeout);
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

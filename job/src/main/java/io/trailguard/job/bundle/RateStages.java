package io.trailguard.job.bundle;

/**
 * The number of keyed rate-rule stages in the graph: stage 1 counts events, stage n counts the firings of stage
 * n - 1 for correlations chained on correlations. A rule bundle whose chains are deeper is rejected.
 */
public final class RateStages {
    public static final int STAGES = 3;

    private RateStages() {
    }
}

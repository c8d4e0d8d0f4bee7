package io.trailguard.rules.aggregate;

import java.util.Arrays;

/**
 * The p-th percentile of a sample, linearly interpolated between the closest ranks (the common definition, also
 * numpy's default): rank {@code (n - 1) * p / 100} over the sorted values, so the 50th percentile is the median
 * (the mean of the two middle values for an even count), the 0th the minimum and the 100th the maximum.
 */
final class Percentiles {
    private Percentiles() {
    }

    /** The percentile {@code p} (0 to 100) of the first {@code n} (at least one) values of {@code xs}; sorts them. */
    static double of(double[] xs, int n, double p) {
        Arrays.sort(xs, 0, n);
        double rank = (n - 1) * p / 100.0;
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return xs[lo] + (xs[hi] - xs[lo]) * (rank - lo);
    }
}

package io.trailguard.bench.e2e;

import java.util.Arrays;
import java.util.Locale;

/**
 * The minimum, median and maximum of repeated measurements of one figure. The median of an even count is the mean of
 * the middle two, so two runs report their mean rather than whichever happened to be slower.
 */
public final class Spread {
    public final double min;
    public final double median;
    public final double max;
    public final int count;

    private Spread(double min, double median, double max, int count) {
        this.min = min;
        this.median = median;
        this.max = max;
        this.count = count;
    }

    /** The spread of at least one value. */
    public static Spread of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("a spread needs at least one value");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        return new Spread(s[0], median, s[n - 1], n);
    }

    /** "min / median / max", each in {@code format} (a {@link String#format} pattern for one number). */
    public String text(String format) {
        return String.format(Locale.ROOT, format + " / " + format + " / " + format, min, median, max);
    }
}

package io.trailguard.job.sink.aws;

import java.util.Locale;

/**
 * What a sink does while the service refuses it for a reason an operator must fix (Security Hub not enabled in the
 * region, the product subscription or the permission missing, a missing log group): {@link #HOLD} the entries and
 * retry them with backoff, the job back-pressuring, until the condition is fixed; or {@link #DEAD_LETTER} them.
 * Neither fails the job: a failing job restarts and meets the same condition again, a restart loop that helps nobody.
 */
public enum OnUnavailable {
    HOLD, DEAD_LETTER;

    /** {@code hold} or {@code dead_letter}. */
    public static OnUnavailable parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        switch (v) {
            case "":
            case "hold":
                return HOLD;
            case "dead_letter":
                return DEAD_LETTER;
            default:
                throw new IllegalArgumentException("expected `hold` or `dead_letter`, got '" + s + "'");
        }
    }
}

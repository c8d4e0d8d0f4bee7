package io.trailguard.rules.engine;

/**
 * The rule by which a finding id's versions get their {@link FindingTimes}: the first version is created and updated
 * at its processing time; every later version keeps the first {@code CreatedAt} and gets an {@code UpdatedAt} after
 * the previous one (its processing time, or one millisecond past the previous {@code UpdatedAt} when the clock has
 * not moved on or went back), so {@code UpdatedAt} rises strictly per finding id and a consumer can order versions
 * by it. Plain and stateless: the caller keeps the previous times per finding id (the job in keyed state, which a
 * restore brings back).
 */
public final class FindingTimeline {
    private FindingTimeline() {
    }

    /**
     * The times of the next version of a finding.
     *
     * @param previous the times of its previous version, or null for a finding id not seen before
     * @param now      processing time, epoch millis
     */
    public static FindingTimes next(FindingTimes previous, long now) {
        if (previous == null) {
            return FindingTimes.at(now);
        }
        long updated = previous.updatedAt() == Long.MAX_VALUE ? Long.MAX_VALUE
                : Math.max(now, previous.updatedAt() + 1);
        return new FindingTimes(previous.createdAt(), updated);
    }
}

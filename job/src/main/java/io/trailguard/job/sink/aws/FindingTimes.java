package io.trailguard.job.sink.aws;

import java.io.Serializable;

/**
 * When Trailguard created and last updated a finding (epoch millis): {@code CreatedAt} and {@code UpdatedAt}. The
 * event times go to {@code FirstObservedAt}/{@code LastObservedAt}. Kept with the buffered entry, so a repeated
 * delivery re-imports the same {@code UpdatedAt} (Security Hub ignores it).
 */
public final class FindingTimes implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long createdAt;
    private final long updatedAt;

    public FindingTimes(long createdAt, long updatedAt) {
        if (updatedAt < createdAt) {
            throw new IllegalArgumentException("updated before created");
        }
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
    }

    public static FindingTimes at(long millis) {
        return new FindingTimes(millis, millis);
    }

    public long createdAt() {
        return createdAt;
    }

    public long updatedAt() {
        return updatedAt;
    }
}

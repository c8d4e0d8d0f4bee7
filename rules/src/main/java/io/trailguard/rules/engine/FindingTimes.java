package io.trailguard.rules.engine;

import java.io.Serializable;

/**
 * When Trailguard created and last updated a finding (epoch millis, processing time): ASFF {@code CreatedAt} and
 * {@code UpdatedAt}, OCSF {@code finding_info.created_time}/{@code modified_time}. The event times are the findings'
 * {@code FirstObservedAt}/{@code LastObservedAt}. Made by {@link FindingTimeline}; the job stamps them onto each
 * alert before its finding outputs ({@link Alert#findingTimes()}). A Security Hub sink keeps them with a buffered
 * entry, so a repeated delivery re-imports the same {@code UpdatedAt} (Security Hub ignores it).
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

    /** True when this is a later version of a finding than its first (updated after it was created). */
    public boolean isUpdate() {
        return updatedAt > createdAt;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FindingTimes)) {
            return false;
        }
        FindingTimes t = (FindingTimes) o;
        return createdAt == t.createdAt && updatedAt == t.updatedAt;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(createdAt) * 31 + Long.hashCode(updatedAt);
    }

    @Override
    public String toString() {
        return "FindingTimes{created " + createdAt + ", updated " + updatedAt + "}";
    }
}

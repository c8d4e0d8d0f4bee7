package io.trailguard.job.sink.aws;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Gives each new finding (a Security Hub entry, an OCSF line) its {@link FindingTimes}: now, and for a finding id this writer has seen before (a
 * rate finding updated in place while the rule keeps firing) the first {@code CreatedAt} and an {@code UpdatedAt}
 * later than the last one. Remembers the {@value #REMEMBERED} most recent ids of this sink instance; after a
 * restart an update gets a new {@code CreatedAt}.
 */
public final class FindingClock implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int REMEMBERED = 10_000;

    private final LongSupplier now;
    private transient Map<String, long[]> seen;

    public FindingClock(LongSupplier now) {
        this.now = now;
    }

    public static FindingClock system() {
        return new FindingClock((LongSupplier & Serializable) System::currentTimeMillis);
    }

    public synchronized FindingTimes next(String findingId) {
        if (seen == null) {
            seen = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, long[]> e) {
                    return size() > REMEMBERED;
                }
            };
        }
        long t = now.getAsLong();
        long[] known = seen.get(findingId);
        if (known == null) {
            seen.put(findingId, new long[] {t, t});
            return FindingTimes.at(t);
        }
        long updated = Math.max(t, known[1] + 1);
        known[1] = updated;
        return new FindingTimes(known[0], updated);
    }
}

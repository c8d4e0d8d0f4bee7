package io.trailguard.job.sink.aws;

import java.util.ArrayList;
import java.util.List;

/**
 * Shapes a batch of log events for PutLogEvents: timestamps clamped into the window the service accepts (not older
 * than its 14-day limit, not more than 2 hours ahead), stable-sorted into chronological order, and split so that no
 * request spans more than 24 hours. (Count and byte limits are enforced earlier by the AsyncSinkWriter batching.)
 */
final class LogBatches {
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;
    /** Oldest accepted: 14 days; keep a day of margin. */
    static final long MAX_AGE = 13 * DAY;
    /** Newest accepted: 2 hours ahead; keep margin. */
    static final long MAX_AHEAD = HOUR;
    /** Longest span of one request: 24 hours, with a minute of margin. */
    static final long MAX_SPAN = DAY - 60_000L;

    private LogBatches() {
    }

    static List<List<LogLine>> prepare(List<LogLine> events, long now) {
        List<LogLine> sorted = new ArrayList<>(events.size());
        for (LogLine e : events) {
            long t = Math.max(now - MAX_AGE, Math.min(now + MAX_AHEAD, e.timestamp()));
            sorted.add(e.withTimestamp(t));
        }
        sorted.sort((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
        List<List<LogLine>> out = new ArrayList<>();
        List<LogLine> current = new ArrayList<>();
        long start = 0;
        for (LogLine e : sorted) {
            if (!current.isEmpty() && e.timestamp() - start > MAX_SPAN) {
                out.add(current);
                current = new ArrayList<>();
            }
            if (current.isEmpty()) {
                start = e.timestamp();
            }
            current.add(e);
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }
}

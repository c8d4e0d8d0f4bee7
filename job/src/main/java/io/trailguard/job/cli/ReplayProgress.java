package io.trailguard.job.cli;

import io.trailguard.job.metrics.Counters;

import java.io.PrintStream;
import java.util.Map;

/**
 * The progress of a replay on stderr: files done of total and events per second. On a terminal one line is rewritten
 * in place every second; otherwise a line is printed every {@value #PLAIN_INTERVAL_SECONDS} seconds (so short replays
 * print none).
 */
final class ReplayProgress {
    static final int PLAIN_INTERVAL_SECONDS = 5;

    private final PrintStream err;
    private final int totalFiles;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long lastEvents;
    private long lastNanos = started;
    private int width;

    ReplayProgress(PrintStream err, int totalFiles, boolean terminal) {
        this.err = err;
        this.totalFiles = totalFiles;
        this.terminal = terminal;
    }

    /** How long to wait between updates. */
    long intervalMillis() {
        return terminal ? 1000L : PLAIN_INTERVAL_SECONDS * 1000L;
    }

    void update(Map<String, Object> accumulators) {
        long now = System.nanoTime();
        long files = number(accumulators.get(Counters.FILES_DONE));
        long events = number(accumulators.get(Counters.EVENTS));
        double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
        long rate = Math.round((events - lastEvents) / seconds);
        lastEvents = events;
        lastNanos = now;
        String line = String.format("replay: %d/%d files, %,d events, %,d events/s, %.0f s", files, totalFiles,
                events, rate, (now - started) / 1e9);
        if (terminal) {
            err.print("\r" + line + pad(width - line.length()));
            width = line.length();
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Clears the terminal line before the summary. */
    void finish() {
        if (terminal && width > 0) {
            err.print("\r" + pad(width) + "\r");
            err.flush();
        }
    }

    static long number(Object o) {
        return o instanceof Number ? ((Number) o).longValue() : 0L;
    }

    private static String pad(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(' ');
        }
        return b.toString();
    }
}

package io.trailguard.job.s3;

import io.trailguard.job.config.Durations;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The events a replay wants, by {@code eventTime}: from {@code since} (inclusive) to {@code until} (exclusive), either
 * open. Each bound is an instant ({@code 2026-02-01T10:00:00Z}, an offset allowed), a UTC date
 * ({@code 2026-02-01}: its start), or a duration back from now ({@code 2h}, {@code 3d}).
 */
public final class TimeWindow implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Instant since;
    private final Instant until;

    public TimeWindow(Instant since, Instant until) {
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("--since " + since + " is not before --until " + until);
        }
        this.since = since;
        this.until = until;
    }

    public static TimeWindow all() {
        return new TimeWindow(null, null);
    }

    /** A bound as the command line gives it, or null for null; {@code now} is for durations. */
    public static Instant bound(String text, Instant now) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException notAnInstant) {
            // next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
            // next form
        }
        try {
            return now.minus(Durations.parse(t));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is neither a time (2026-02-01T10:00:00Z, 2026-02-01) "
                    + "nor a duration back from now (90m, 12h, 3d)");
        }
    }

    public Instant since() {
        return since;
    }

    public Instant until() {
        return until;
    }

    /**
     * True when a date folder may hold events of the window. CloudTrail files a log under the UTC date it delivers
     * it, up to about 15 minutes after its events, so the folder after the window's last day is included too.
     */
    public boolean mayHold(LocalDate folder) {
        if (since != null && folder.isBefore(since.atZone(ZoneOffset.UTC).toLocalDate())) {
            return false;
        }
        return until == null || !folder.isAfter(until.atZone(ZoneOffset.UTC).toLocalDate().plusDays(1));
    }

    /** True when a record's {@code eventTime} is in the window; a record without a readable time is kept. */
    public boolean contains(String eventTime) {
        if (since == null && until == null) {
            return true;
        }
        Instant t;
        try {
            t = eventTime == null ? null : OffsetDateTime.parse(eventTime).toInstant();
        } catch (DateTimeParseException e) {
            t = null;
        }
        if (t == null) {
            return true;
        }
        return (since == null || !t.isBefore(since)) && (until == null || t.isBefore(until));
    }

    public boolean isOpen() {
        return since == null && until == null;
    }

    @Override
    public String toString() {
        return (since == null ? "the beginning" : since.toString()) + " to " + (until == null ? "now"
                : until.toString());
    }
}

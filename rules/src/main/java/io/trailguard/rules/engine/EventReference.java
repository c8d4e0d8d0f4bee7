package io.trailguard.rules.engine;

import java.io.Serializable;
import java.util.Objects;

/**
 * The CloudTrail event an alert is about (for a rate rule: the last counted event): its id, time (as printed, and
 * in epoch millis), account and Region. Any part but the time may be null.
 */
public final class EventReference implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final String time;
    private final long timeMillis;
    private final String account;
    private final String region;

    public EventReference(String id, String time, long timeMillis, String account, String region) {
        this.id = id;
        this.time = time;
        this.timeMillis = timeMillis;
        this.account = account;
        this.region = region;
    }

    /** An event at {@code timeMillis}, its time printed as Falco prints alert times. */
    public static EventReference at(String id, long timeMillis, String account, String region) {
        return new EventReference(id, RuleSet.isoTime(timeMillis), timeMillis, account, region);
    }

    public String id() {
        return id;
    }

    /** ISO 8601 UTC, nanosecond digits, as Falco prints alert times. */
    public String time() {
        return time;
    }

    public long timeMillis() {
        return timeMillis;
    }

    public String account() {
        return account;
    }

    public String region() {
        return region;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EventReference)) {
            return false;
        }
        EventReference e = (EventReference) o;
        return timeMillis == e.timeMillis && Objects.equals(id, e.id) && Objects.equals(time, e.time)
                && Objects.equals(account, e.account) && Objects.equals(region, e.region);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, time, timeMillis, account, region);
    }
}

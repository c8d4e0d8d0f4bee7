package io.trailguard.rules.aggregate;

/** One counted event inside a group's window. A Flink POJO. */
public final class WindowEntry {
    public long time;
    public String eventId;
    public String value;
    public String[] outputValues;
    public String account;
    public String region;

    public WindowEntry() {}

    public WindowEntry(long time, String eventId, String value, String[] outputValues, String account, String region) {
        this.time = time;
        this.eventId = eventId;
        this.value = value;
        this.outputValues = outputValues;
        this.account = account;
        this.region = region;
    }

    /** The entry a signal adds to its group's window. */
    public static WindowEntry of(Signal s) {
        return new WindowEntry(s.time, s.eventId, s.value, s.outputValues, s.account, s.region);
    }
}

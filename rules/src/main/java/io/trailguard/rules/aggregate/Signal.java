package io.trailguard.rules.aggregate;

import java.util.Arrays;

/**
 * A counted event of a rate rule: what the keyed window operator needs, and nothing more (the raw event stays
 * behind). A Flink POJO: public fields and a no-argument constructor.
 */
public final class Signal {
    /** Rule name. */
    public String rule;
    /** Digest of the rule's definition: state built under another definition is discarded. */
    public String fingerprint;
    /** Group values joined into one key (see {@link #key()}). */
    public String[] group;
    public long time;
    public String eventId;
    /** The value of the aggregate field (value_count, value_sum, value_avg); null for event_count. */
    public String value;
    /** The event's values of the rule's output fields (aggregate.* excluded), rendered as text; null = absent. */
    public String[] outputValues;
    public String account;
    public String region;

    public Signal() {}

    public Signal(String rule, String fingerprint, String[] group, long time, String eventId, String value,
                  String[] outputValues, String account, String region) {
        this.rule = rule;
        this.fingerprint = fingerprint;
        this.group = group;
        this.time = time;
        this.eventId = eventId;
        this.value = value;
        this.outputValues = outputValues;
        this.account = account;
        this.region = region;
    }

    /** The keyed-state key: rule and group values, separated by a character that cannot appear in rule names. */
    public String key() {
        StringBuilder sb = new StringBuilder(rule);
        for (String g : group) {
            sb.append('\u0000').append(g);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Signal{" + rule + " " + Arrays.toString(group) + " @" + time + " " + eventId + "}";
    }
}

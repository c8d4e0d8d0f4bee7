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

    /**
     * The keyed-state key: rule and group values, each value after a NUL (a character that cannot appear in rule
     * names). Inside group values NUL and U+0001 are escaped (as U+0001 '0' and U+0001 '1'), so two different groups
     * never share a key and {@link #groupOf(String)} gives the group back exactly; other values appear as they are.
     */
    public String key() {
        StringBuilder sb = new StringBuilder(rule);
        for (String g : group) {
            sb.append('\u0000');
            if (g == null || g.indexOf('\u0000') < 0 && g.indexOf('\u0001') < 0) {
                sb.append(g);
                continue;
            }
            for (int i = 0; i < g.length(); i++) {
                char c = g.charAt(i);
                if (c == '\u0000' || c == '\u0001') {
                    sb.append('\u0001').append(c == '\u0000' ? '0' : '1');
                } else {
                    sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    /** The rule name of a key built by {@link #key()}. */
    public static String ruleOf(String key) {
        int cut = key.indexOf('\u0000');
        return cut < 0 ? key : key.substring(0, cut);
    }

    /** The group values of a key built by {@link #key()}. */
    public static String[] groupOf(String key) {
        String[] parts = key.split("\u0000", -1);
        String[] group = new String[parts.length - 1];
        for (int k = 0; k < group.length; k++) {
            String p = parts[k + 1];
            if (p.indexOf('\u0001') < 0) {
                group[k] = p;
                continue;
            }
            StringBuilder sb = new StringBuilder(p.length());
            for (int i = 0; i < p.length(); i++) {
                char c = p.charAt(i);
                if (c == '\u0001' && i + 1 < p.length()) {
                    sb.append(p.charAt(++i) == '0' ? '\u0000' : '\u0001');
                } else {
                    sb.append(c);
                }
            }
            group[k] = sb.toString();
        }
        return group;
    }

    @Override
    public String toString() {
        return "Signal{" + rule + " " + Arrays.toString(group) + " @" + time + " " + eventId + "}";
    }
}

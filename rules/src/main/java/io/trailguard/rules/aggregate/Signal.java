package io.trailguard.rules.aggregate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

    /** Length of a {@link #ruleTag}: U+0002, then 10 characters of 6 bits each. */
    public static final int TAG_LENGTH = 11;
    private static final char TAG_MARK = '\u0002';
    private static final char[] TAG_DIGITS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
    private static final int TAG_CACHE_LIMIT = 16_384;
    private static final Map<String, String> TAGS = new ConcurrentHashMap<>();

    /**
     * The short stand-in for a rule name in keys ({@link #key()}): U+0002 (which starts no rule name) and the first 60
     * bits of the name's SHA-256, base64url, so the key of a group stays short however long the rule's name is. A
     * rule set refuses two rate rules whose tags are equal (see {@code RuleSet}).
     */
    public static String ruleTag(String rule) {
        String t = TAGS.get(rule);
        if (t != null) {
            return t;
        }
        byte[] d;
        try {
            d = MessageDigest.getInstance("SHA-256").digest(rule.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = bits << 8 | (d[i] & 0xff);
        }
        char[] c = new char[TAG_LENGTH];
        c[0] = TAG_MARK;
        for (int i = 1; i < TAG_LENGTH; i++) {
            c[i] = TAG_DIGITS[(int) (bits >>> 58)];
            bits <<= 6;
        }
        t = new String(c);
        if (TAGS.size() >= TAG_CACHE_LIMIT) {
            TAGS.clear(); // rule names come from bundles: a bound for many reloads, not a working-set size
        }
        TAGS.put(rule, t);
        return t;
    }

    /** Whether the rule part of a key ({@link #ruleOf}) is a {@link #ruleTag} rather than a rule name. */
    public static boolean isTag(String rulePart) {
        return rulePart.length() == TAG_LENGTH && rulePart.charAt(0) == TAG_MARK;
    }

    /**
     * The keyed-state key: the rule's {@link #ruleTag} and the group values, each value after a NUL. Inside group
     * values NUL and U+0001 are escaped (as U+0001 '0' and U+0001 '1'), so two different groups never share a key
     * and {@link #groupOf(String)} gives the group back exactly; other values appear as they are. (Keys of the
     * earlier layout start with the rule name instead of its tag; {@code RuleSet.ruleOfKey} reads both.)
     */
    public String key() {
        StringBuilder sb = new StringBuilder(ruleTag(rule));
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

    /** The rule part of a key built by {@link #key()}: the rule's {@link #ruleTag} (a rule name in earlier keys). */
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

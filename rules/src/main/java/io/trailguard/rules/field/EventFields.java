package io.trailguard.rules.field;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.event.CloudTrailEvent;

import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The generic libsinsp {@code evt.*} fields that make sense on a CloudTrail plugin event
 * ({@code libs:userspace/libsinsp/sinsp_filtercheck_gen_event.cpp}).
 *
 * <p>Time fields derive from {@link CloudTrailEvent#timeMillis()} (eventTime, else the envelope time) and are
 * absent when the event has no time. They are rendered in <b>UTC</b> (Falco renders {@code evt.time} and
 * {@code evt.datetime} in the host's local zone unless it runs in UTC; we fix UTC for reproducibility), always with
 * a 9-digit nanosecond fraction:
 * <ul>
 *   <li>{@code evt.time} {@code 11:42:05.000000000}, {@code evt.time.s} {@code 11:42:05}</li>
 *   <li>{@code evt.time.iso8601} {@code 2023-07-10T11:42:05.000000000Z}</li>
 *   <li>{@code evt.datetime} {@code 2023-07-10 11:42:05.000000000}, {@code evt.datetime.s}
 *       {@code 2023-07-10 11:42:05}</li>
 *   <li>{@code evt.rawtime} ns since the epoch, {@code evt.rawtime.s} whole seconds, {@code evt.rawtime.ns} the
 *       nanosecond part (all NUMBER; absent when ns since the epoch would not fit a 64-bit value)</li>
 * </ul>
 *
 * <p>{@code evt.is_async} is always {@code false} and {@code evt.asynctype} never has a value, as libs gives them
 * for a plugin event that is not async ({@code events_plugin.ut.cpp event_sources}): a stream of CloudTrail
 * records has no async events. {@code evt.reltime*} and the syscall-only fields are not provided: such a stream
 * has no capture start and no syscalls.
 */
public final class EventFields {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private static final Map<String, Field> FIELDS;

    static {
        Map<String, Field> m = new LinkedHashMap<>();
        put(m, new CatalogueField("evt.num", ValueType.NUMBER, e -> e.number()));
        time(m, "evt.time", t -> appendTime(new StringBuilder(18), t, true).toString());
        time(m, "evt.time.s", t -> appendTime(new StringBuilder(8), t, false).toString());
        time(m, "evt.time.iso8601",
                t -> appendTime(appendDate(new StringBuilder(30), t).append('T'), t, true).append('Z').toString());
        time(m, "evt.datetime",
                t -> appendTime(appendDate(new StringBuilder(29), t).append(' '), t, true).toString());
        time(m, "evt.datetime.s",
                t -> appendTime(appendDate(new StringBuilder(19), t).append(' '), t, false).toString());
        put(m, new CatalogueField("evt.rawtime", ValueType.NUMBER, EventFields::rawTime));
        put(m, new CatalogueField("evt.rawtime.s", ValueType.NUMBER,
                e -> e.hasTime() ? Math.floorDiv(e.timeMillis(), 1000L) : null));
        put(m, new CatalogueField("evt.rawtime.ns", ValueType.NUMBER,
                e -> e.hasTime() ? Math.floorMod(e.timeMillis(), 1000L) * NANOS_PER_MILLI : null));
        constant(m, "evt.pluginname", "cloudtrail");
        put(m, new CatalogueField("evt.plugininfo", ValueType.STRING, e -> pluginInfo(e.record())));
        constant(m, "evt.source", "aws_cloudtrail");
        constant(m, "evt.is_async", "false");
        put(m, new CatalogueField("evt.asynctype", ValueType.STRING, e -> null));
        put(m, new CatalogueField("evt.hostname", ValueType.STRING, e -> Hostname.VALUE));
        FIELDS = Collections.unmodifiableMap(m);
    }

    private EventFields() {}

    /**
     * The {@code evt.*} field called {@code name}, or {@code null} when this class does not provide it.
     *
     * @throws UnknownFieldException when an argument is given (none of these fields takes one)
     */
    public static Field resolve(String name, String arg) {
        Field f = name == null ? null : FIELDS.get(name);
        if (f != null && arg != null) {
            throw new UnknownFieldException("field '" + name + "' does not take an argument, got '" + name + "["
                    + arg + "]'");
        }
        return f;
    }

    /** Every field name this class resolves. */
    /** The local host name (evt.hostname and the alerts' hostname). */
    public static String hostname() {
        return Hostname.VALUE;
    }

    public static Set<String> names() {
        return FIELDS.keySet();
    }

    /**
     * {@code evt.plugininfo}, as the plugin's {@code String()} builds it:
     * {@code region + userPart + " " + shortSource + " " + eventName + " " + ct.info}, where userPart is
     * {@code " " + ct.user} when ct.user is present and non-empty. Faithful quirk: when ct.user is absent, upstream
     * still appends the placeholder {@code getUser} returned, without a space ({@code "<NA>"} for Root/IAMUser
     * without userName, {@code "<unknown user type>"} for other types, nothing without a type). Absent when
     * eventSource, awsRegion or eventName is missing or not a JSON string (upstream returns an error).
     */
    static String pluginInfo(ObjectNode r) {
        String src = textAt(r, "eventSource");
        String region = textAt(r, "awsRegion");
        String name = textAt(r, "eventName");
        if (src == null || region == null || name == null) {
            return null;
        }
        return region + CloudTrailValues.pluginInfoUser(r) + ' ' + CloudTrailValues.stripAmazonaws(src) + ' '
                + name + ' ' + CloudTrailValues.info(r);
    }

    private static String textAt(ObjectNode r, String key) {
        JsonNode n = r.get(key);
        return n != null && n.isTextual() ? n.textValue() : null;
    }

    private static Long rawTime(CloudTrailEvent e) {
        if (!e.hasTime()) {
            return null;
        }
        long ms = e.timeMillis();
        long ns = ms * NANOS_PER_MILLI;
        return ns / NANOS_PER_MILLI == ms ? ns : null; // out of the int64-ns range (before 1677 / after 2262)
    }

    private static StringBuilder appendDate(StringBuilder sb, LocalDateTime t) {
        int year = t.getYear();
        if (year < 0) {
            sb.append('-');
            year = -year;
        }
        pad(sb, year, 4);
        sb.append('-');
        pad(sb, t.getMonthValue(), 2);
        sb.append('-');
        pad(sb, t.getDayOfMonth(), 2);
        return sb;
    }

    private static StringBuilder appendTime(StringBuilder sb, LocalDateTime t, boolean nanos) {
        pad(sb, t.getHour(), 2);
        sb.append(':');
        pad(sb, t.getMinute(), 2);
        sb.append(':');
        pad(sb, t.getSecond(), 2);
        if (nanos) {
            sb.append('.');
            pad(sb, t.getNano(), 9);
        }
        return sb;
    }

    private static void pad(StringBuilder sb, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        sb.append(s);
    }

    private static LocalDateTime utc(long millis) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000L),
                (int) Math.floorMod(millis, 1000L) * 1_000_000, ZoneOffset.UTC);
    }

    private static void put(Map<String, Field> m, Field f) {
        m.put(f.name(), f);
    }

    private static void constant(Map<String, Field> m, String name, String value) {
        put(m, new CatalogueField(name, ValueType.STRING, e -> value));
    }

    private static void time(Map<String, Field> m, String name, Function<LocalDateTime, String> format) {
        put(m, new CatalogueField(name, ValueType.STRING, e -> {
            if (!e.hasTime()) {
                return null;
            }
            try {
                return format.apply(utc(e.timeMillis()));
            } catch (DateTimeException outOfRange) {
                return null; // beyond LocalDateTime's year range: cannot be rendered
            }
        }));
    }

    /** The local host name, resolved on first use (lazy holder), never throwing. */
    private static final class Hostname {
        static final String VALUE = resolve();

        private Hostname() {}

        private static String resolve() {
            try {
                String h = InetAddress.getLocalHost().getHostName();
                if (h != null && !h.isEmpty()) {
                    return h;
                }
            } catch (Exception e) {
                // fall through: unresolvable host name, sandbox, ...
            }
            String env = System.getenv("HOSTNAME");
            return env != null && !env.isEmpty() ? env : "localhost";
        }
    }
}

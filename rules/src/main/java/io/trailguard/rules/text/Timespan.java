package io.trailguard.rules.text;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule files' timespans: a count of 1 to 9 digits followed by one unit letter, case-sensitive, no space. The
 * dialects differ only in the units they accept:
 * <ul>
 *   <li>{@link #RATE_UNITS} {@code s m h d}: Falco-style {@code aggregate:} rules, incident gaps and fixture
 *       intervals;</li>
 *   <li>{@link #SIGMA_UNITS} {@code s m h d w M y}: Sigma correlation {@code timespan}, with pySigma's lengths for a
 *       month (30.436875 days, 2,629,746 s) and a year (365.2425 days, 31,556,952 s).</li>
 * </ul>
 * The job's configuration and command-line durations have a grammar of their own ({@code job/CONFIGURATION.md}).
 */
public final class Timespan {
    /** Units of {@code aggregate:} timespans. */
    public static final String RATE_UNITS = "smhd";
    /** Units of Sigma correlation timespans. */
    public static final String SIGMA_UNITS = "smhdwMy";

    private static final Pattern SHAPE = Pattern.compile("(\\d{1,9})([a-zA-Z])");
    private static final Map<Character, Long> UNIT_MILLIS = Map.of(
            's', 1000L,
            'm', 60_000L,
            'h', 3_600_000L,
            'd', 86_400_000L,
            'w', 604_800_000L,
            'M', 2_629_746_000L,
            'y', 31_556_952_000L);

    private Timespan() {
    }

    /** The milliseconds of {@code text} in one of {@code units}; -1 when it is not such a timespan. */
    public static long millis(String text, String units) {
        if (text == null) {
            return -1;
        }
        Matcher m = SHAPE.matcher(text);
        if (!m.matches() || units.indexOf(m.group(2).charAt(0)) < 0) {
            return -1;
        }
        return Long.parseLong(m.group(1)) * UNIT_MILLIS.get(m.group(2).charAt(0));
    }
}

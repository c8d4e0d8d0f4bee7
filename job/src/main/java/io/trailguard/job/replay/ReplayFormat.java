package io.trailguard.job.replay;

import java.util.Locale;

/** How replay prints alerts on stdout: {@code json} (one alert JSON line each, the default) or {@code text}. */
public enum ReplayFormat {
    JSON, TEXT;

    /** Case-insensitive; throws IllegalArgumentException naming the choices. */
    public static ReplayFormat parse(String s) {
        for (ReplayFormat f : values()) {
            if (f.name().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + s + "'; available: json, text");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

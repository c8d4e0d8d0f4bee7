package io.trailguard.rules.engine;

import java.util.Locale;

/** Falco's priorities, most severe first; printed as Falco prints them. */
public enum Priority {
    EMERGENCY("Emergency"),
    ALERT("Alert"),
    CRITICAL("Critical"),
    ERROR("Error"),
    WARNING("Warning"),
    NOTICE("Notice"),
    INFORMATIONAL("Informational"),
    DEBUG("Debug");

    private final String display;

    Priority(String display) {
        this.display = display;
    }

    public String display() {
        return display;
    }

    /** Case-insensitive; {@code info} means informational. Null when the text is no priority. */
    public static Priority parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.equals("INFO")) {
            return INFORMATIONAL;
        }
        for (Priority p : values()) {
            if (p.name().equals(t)) {
                return p;
            }
        }
        return null;
    }

    /**
     * A Falco priority ({@link #parse}) or a Sigma level ({@code critical}, {@code high}, {@code medium},
     * {@code low}, {@code informational}), case-insensitive; null when the text is neither.
     */
    public static Priority ofLevel(String text) {
        Priority p = parse(text);
        if (p != null || text == null) {
            return p;
        }
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "high":
                return ERROR;
            case "medium":
                return WARNING;
            case "low":
                return NOTICE;
            default:
                return null;
        }
    }

    /** True when this priority is at least as severe as {@code min}. */
    public boolean atLeast(Priority min) {
        return ordinal() <= min.ordinal();
    }
}

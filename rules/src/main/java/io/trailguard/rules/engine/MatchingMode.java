package io.trailguard.rules.engine;

import java.util.Locale;

/** Falco's rule_matching: every matching rule alerts, or only the first in load order. */
public enum MatchingMode {
    ALL,
    FIRST;

    public static MatchingMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matching mode must be 'all' or 'first', not '" + text + "'");
        }
    }
}

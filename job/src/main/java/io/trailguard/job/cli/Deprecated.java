package io.trailguard.job.cli;

import java.util.Map;

/**
 * Option names kept for one release as hidden aliases of their replacements; using one prints a warning on stderr
 * ({@link Commands#deprecationNotes}).
 */
final class Deprecated {
    /** Keyed by the option's long name, or "COMMAND NAME" for one command's option. */
    static final Map<String, String> REPLACEMENTS = Map.of(
            "--aws-region", "--region",
            "--aws-endpoint", "--endpoint-url",
            "publish --version", "--bundle-version");

    private Deprecated() {
    }
}

package io.trailguard.rules.loader;

/**
 * Semantic versions as Falco compares them: compatible when the major versions are equal and the available
 * version is at least the required one.
 */
final class Versions {
    /** The Falco engine version whose rule language Trailguard implements. */
    static final String ENGINE = "0.63.0";
    /** Versions of the Falco plugins whose fields Trailguard implements. */
    static final String CLOUDTRAIL_PLUGIN = "0.17.1";
    static final String JSON_PLUGIN = "0.7.4";

    private Versions() {}

    /** Parses "N", "N.M" or "N.M.P" (an integer N alone means 0.N.0 for engine versions). */
    static int[] parse(String v, boolean integerMeansMinor) {
        String t = v.trim();
        if (integerMeansMinor && t.matches("\\d+")) {
            return new int[] {0, Integer.parseInt(t), 0};
        }
        if (!t.matches("\\d+(\\.\\d+){0,2}")) {
            throw new IllegalArgumentException("'" + v + "' is not a version (expected MAJOR.MINOR.PATCH)");
        }
        String[] parts = t.split("\\.");
        int[] out = new int[3];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i]);
        }
        return out;
    }

    static boolean compatible(int[] available, int[] required) {
        if (available[0] != required[0]) {
            return false;
        }
        for (int i = 1; i < 3; i++) {
            if (available[i] != required[i]) {
                return available[i] > required[i];
            }
        }
        return true;
    }

    /** The version of a built-in plugin, or null when Trailguard has no such plugin. */
    static String plugin(String name) {
        switch (name) {
            case "cloudtrail":
                return CLOUDTRAIL_PLUGIN;
            case "json":
                return JSON_PLUGIN;
            default:
                return null;
        }
    }
}

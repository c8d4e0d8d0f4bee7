package io.trailguard.job.cli;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Map;

/**
 * Option defaults from the environment: {@code TRAILGUARD_} and the option's long name in upper case with dashes as
 * underscores ({@code --rules} reads {@code TRAILGUARD_RULES}), for the options in {@link #OPTIONS}. A value on the
 * command line wins. Multi-valued options split the variable at commas.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
    /** The long option names with an environment default (documented in docs/cli.md). */
    static final java.util.Set<String> OPTIONS = java.util.Set.of("--rules", "--config", "--matching", "--output",
            "--endpoint-url", "--events-stream", "--control-stream", "--disable-tag", "--fixtures");

    private final Map<String, String> env;

    EnvironmentDefaults(Map<String, String> env) {
        this.env = env;
    }

    static String variable(String longName) {
        return "TRAILGUARD_" + longName.substring(2).toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec)) {
            return null;
        }
        String name = ((OptionSpec) arg).longestName();
        if (!OPTIONS.contains(name)) {
            return null;
        }
        String v = env.get(variable(name));
        return v == null || v.trim().isEmpty() ? null : v.trim();
    }
}

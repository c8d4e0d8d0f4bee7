package io.trailguard.job.cli;

import io.trailguard.job.config.ConfigKey;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which rules a command loads: the bundled packs, then {@code --rules} files in order (so they can append to and
 * override bundled lists, macros and rules), with {@code --disable-rule} / {@code --disable-tag} turned off. The
 * job ({@code run}) takes the same options as its {@code rules.*} configuration keys ({@link #into}).
 */
final class RuleOptions {
    @Option(names = {"-r", "--rules"}, arity = "1..*", split = ",", paramLabel = "PATH",
            description = "rule files or directories (.yaml/.yml, read recursively), loaded after the bundled packs; "
                    + "repeatable, - reads one file from stdin (env TRAILGUARD_RULES)")
    List<String> paths = new ArrayList<>();

    @Option(names = "--no-bundled-rules", description = "start without the bundled packs: only the --rules files")
    boolean noBundledRules;

    @Option(names = {"-D", "--disable-rule"}, paramLabel = "NAME",
            description = "turn off the rules with this name; * matches any characters (repeatable)")
    List<String> disableRules = new ArrayList<>();

    @Option(names = {"-T", "--disable-tag"}, split = ",", paramLabel = "TAG",
            description = "turn off every rule with this tag (exact; repeatable; env TRAILGUARD_DISABLE_TAG)")
    List<String> disableTags = new ArrayList<>();

    RuleSelection selection() {
        return new RuleSelection(!noBundledRules, paths, disableRules, disableTags);
    }

    /** Puts the given options as the job's {@code rules.*} configuration keys into {@code into}. */
    void into(Map<String, String> into) {
        if (!paths.isEmpty()) {
            into.put(ConfigKey.RULES_PATH.key(), String.join(",", paths));
        }
        if (noBundledRules) {
            into.put(ConfigKey.RULES_BUNDLED.key(), "false");
        }
        if (!disableRules.isEmpty()) {
            into.put(ConfigKey.RULES_DISABLE.key(), String.join(",", disableRules));
        }
        if (!disableTags.isEmpty()) {
            into.put(ConfigKey.RULES_DISABLE_TAGS.key(), String.join(",", disableTags));
        }
    }
}

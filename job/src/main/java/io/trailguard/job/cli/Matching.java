package io.trailguard.job.cli;

import io.trailguard.rules.engine.MatchingMode;
import picocli.CommandLine.Option;

/** {@code --matching all|first}. */
final class Matching {
    @Option(names = {"-m", "--matching"}, paramLabel = "all|first",
            description = "all: every matching rule alerts (default); first: only the first, in load order "
                    + "(env TRAILGUARD_MATCHING)")
    String value;

    MatchingMode mode(String command) throws UsageException {
        if (value == null) {
            return MatchingMode.ALL;
        }
        try {
            return MatchingMode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": --matching: " + e.getMessage());
        }
    }
}

package io.trailguard.job.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The job's configuration sources on the command line (job/CONFIGURATION.md). */
final class ConfigOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "properties file of configuration keys (job/CONFIGURATION.md); - reads stdin "
                    + "(env TRAILGUARD_CONFIG)")
    String file;

    @Option(names = "--set", arity = "1..*", paramLabel = "KEY=VALUE",
            description = "a configuration key, overriding the file and the other options (repeatable)")
    List<String> set = new ArrayList<>();
}

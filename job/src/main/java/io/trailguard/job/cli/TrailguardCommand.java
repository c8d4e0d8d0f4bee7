package io.trailguard.job.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** The root command: without a subcommand it runs the demo. Help and version options reach every subcommand. */
@Command(name = "trailguard", mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class, sortOptions = false,
        description = "Real-time AWS CloudTrail threat detection on Apache Flink: Falco and Sigma rules over "
                + "CloudTrail events, locally (replay, test) or as a streaming job on Kinesis (run).",
        footer = {"", "Without a command: the demo (sample events through the bundled rules).",
                "Exit codes: 0 done, 1 invalid rules or failure, 2 usage error or missing input.",
                "Documentation: docs/cli.md; configuration keys: job/CONFIGURATION.md."})
final class TrailguardCommand implements Callable<Integer> {
    private final Cli cli;

    TrailguardCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        return new DemoCommand(cli).call();
    }
}

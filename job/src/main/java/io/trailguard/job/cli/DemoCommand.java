package io.trailguard.job.cli;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.replay.ReplayInput;
import io.trailguard.rules.engine.MatchingMode;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Replays the sample events shipped in the jar ({@value #SAMPLES_DIR}) with the bundled rule packs and prints their
 * alerts on stdout (also what {@code trailguard} without a command does).
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, name = "demo", description = "Replay the bundled sample events through the bundled rules: one alert JSON "
        + "line per alert on stdout, the summary on stderr.")
final class DemoCommand implements Callable<Integer> {
    static final String SAMPLES_DIR = "io/trailguard/job/samples/";
    private final Cli cli;

    DemoCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        RuleSelection bundled = new RuleSelection(true, List.of(), List.of(), List.of());
        RuleBundle rules = RuleFiles.startupBundle("trailguard", bundled, MatchingMode.ALL, cli.err);
        if (rules == null) {
            return Commands.FAILURE;
        }
        ReplayRunner.run(sampleInputs(), rules, MatchingMode.ALL, cli);
        return 0;
    }

    /** The sample files listed in the samples index, in order. */
    static List<ReplayInput> sampleInputs() throws IOException {
        List<ReplayInput> out = new ArrayList<>();
        try (InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(SAMPLES_DIR + "index.txt")) {
            if (in == null) {
                throw new IllegalStateException("the sample events are missing from the jar");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String name = line.trim();
                if (!name.isEmpty() && !name.startsWith("#")) {
                    out.add(ReplayInput.resource(SAMPLES_DIR + name));
                }
            }
        }
        return out;
    }
}

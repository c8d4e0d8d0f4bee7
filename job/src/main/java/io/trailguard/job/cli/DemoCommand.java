package io.trailguard.job.cli;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.replay.ReplayInput;
import io.trailguard.rules.engine.MatchingMode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * No arguments: replays the sample events shipped in the jar ({@value #SAMPLES_DIR}) with the bundled rule packs and
 * prints their alerts on stdout.
 */
final class DemoCommand implements Command {
    static final String SAMPLES_DIR = "io/trailguard/job/samples/";

    @Override
    public int run(Args args, Cli cli) throws Exception {
        RuleBundle rules = RuleFiles.startupBundle("trailguard", new ArrayList<>(), MatchingMode.ALL, cli.err);
        if (rules == null) {
            return 1;
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

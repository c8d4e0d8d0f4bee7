package io.trailguard.job.cli;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.output.AlertOutputs;
import io.trailguard.job.replay.ReplayFormat;
import io.trailguard.job.replay.ReplayInput;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.event.InputFiles;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code replay --input PATH...|s3://BUCKET[/PREFIX]... [--since TIME|DURATION] [--until TIME|DURATION]
 * [--accounts A,B] [--regions R,S] [--rules PATH...] [--matching all|first] [--output SPEC...] [--format json|text]
 * [--aws-region R] [--aws-endpoint URL]}: runs the inputs (files, or directories read recursively; or the CloudTrail
 * files under S3 locations, see {@link S3Replay}) through the detection stages; on stdout, when the replay has ended,
 * one line per alert in event-time order (a JSON alert, or with {@code --format text} a readable line) and nothing
 * else; logs, dead letters, progress and the summary (counts by priority and rule, incidents, dead letters by
 * reason) on stderr. Exit 0 when the input was processed (dead letters
 * included), 1 for invalid rules, 2 for a usage error or a missing input path.
 */
final class ReplayCommand implements Command {
    @Override
    public int run(Args args, Cli cli) throws Exception {
        args.allow("input", "rules", "matching", "output", "format", "aws-region", "aws-endpoint", "config", "set",
                "since", "until", "accounts", "regions");
        ReplayFormat format;
        try {
            format = args.has("format") ? ReplayFormat.parse(args.single("format")) : ReplayFormat.JSON;
        } catch (IllegalArgumentException e) {
            throw new UsageException("replay: --format: " + e.getMessage());
        }
        List<String> inputs = args.required("input", "PATH...");
        MatchingMode matching = matching(args);
        if (S3Replay.wanted(inputs, args)) {
            return S3Replay.run(inputs, args, matching, cli);
        }
        List<Path> paths = new ArrayList<>();
        for (String p : inputs) {
            paths.add(Paths.get(p));
        }
        List<Path> files;
        try {
            files = InputFiles.list(paths, w -> cli.err.println("replay: warning: " + w));
        } catch (NoSuchFileException e) {
            throw new UsageException("replay: input path does not exist: " + e.getFile());
        } catch (IllegalArgumentException e) {
            throw new UsageException("replay: " + e.getMessage());
        }
        if (files.isEmpty()) {
            cli.err.println("replay: warning: no input files (.json, .jsonl, .json.gz, .jsonl.gz) in "
                    + String.join(" ", inputs));
        }
        TrailguardConfig config = RunCommand.configuration(args, cli);
        List<String> outputs = args.has("output") ? config.outputs() : List.of("stdout");
        try {
            AlertOutputs.create(outputs, AlertOutputs.Mode.REPLAY, cli.consoleId, config); // validate early
        } catch (IllegalArgumentException e) {
            throw new UsageException("replay: " + e.getMessage());
        }
        RuleBundle rules = RuleFiles.startupBundle("replay", args.values("rules"), matching, cli.err);
        if (rules == null) {
            return 1;
        }
        List<ReplayInput> replayInputs = new ArrayList<>();
        for (Path f : files) {
            replayInputs.add(ReplayInput.file(f.toString()));
        }
        ReplayRunner.run(replayInputs, rules, matching, cli, outputs, config, format);
        return 0;
    }

    static MatchingMode matching(Args args) throws UsageException {
        String m = args.single("matching");
        if (m == null) {
            return MatchingMode.ALL;
        }
        try {
            return MatchingMode.parse(m);
        } catch (IllegalArgumentException e) {
            throw new UsageException(args.command() + ": --matching: " + e.getMessage());
        }
    }
}

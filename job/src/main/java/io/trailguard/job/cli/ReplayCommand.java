package io.trailguard.job.cli;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.ConfigKey;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.output.AlertOutputs;
import io.trailguard.job.replay.ReplayInput;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.event.InputFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runs the inputs (files, or directories read recursively) through the detection graph in a MiniCluster; one alert
 * JSON line per alert on stdout and nothing else; logs, dead letters, progress and the summary on stderr. Exit 0 when
 * the input was processed (dead letters included), 1 for invalid rules, 2 for a usage error or a missing input path.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, name = "replay", sortOptions = false,
        description = {"Run files or directories of CloudTrail events through the job (a bounded local "
                + "MiniCluster): one alert JSON line per alert on stdout; logs, dead letters and the summary on "
                + "stderr."})
final class ReplayCommand implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-i", "--input"}, arity = "1..*", split = ",", required = true, paramLabel = "PATH",
            description = "event files (.json, .jsonl, .gz: log files, records, EventBridge envelopes) or "
                    + "directories; - reads stdin")
    List<String> inputs = new ArrayList<>();

    @Mixin
    RuleOptions rules = new RuleOptions();

    @Mixin
    Matching matching = new Matching();

    @Option(names = {"-o", "--output"}, arity = "1..*", split = ",", paramLabel = "SPEC",
            description = "alert outputs: stdout (default), file:PATH, securityhub, cloudwatch:GROUP "
                    + "(env TRAILGUARD_OUTPUT)")
    List<String> outputs = new ArrayList<>();

    @Mixin
    AwsOptions aws = new AwsOptions();

    @Mixin
    ConfigOptions config = new ConfigOptions();

    ReplayCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        MatchingMode mode = matching.mode("replay");
        List<Path> paths = new ArrayList<>();
        for (String p : inputs) {
            paths.add(Stdin.DASH.equals(p) ? Stdin.toFile() : Paths.get(p));
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
        Map<String, String> flags = new LinkedHashMap<>();
        aws.into(flags);
        if (!outputs.isEmpty()) {
            flags.put(ConfigKey.OUTPUTS.key(), String.join(",", outputs));
        }
        TrailguardConfig conf = RunCommand.configuration("replay", config, flags);
        // The job's default outputs key is for run; a replay writes to stdout unless told otherwise here.
        List<String> outputSpecs = outputs.isEmpty() ? List.of("stdout") : conf.outputs();
        try {
            AlertOutputs.create(outputSpecs, AlertOutputs.Mode.REPLAY, cli.consoleId, conf); // validate early
        } catch (IllegalArgumentException e) {
            throw new UsageException("replay: " + e.getMessage());
        }
        RuleBundle bundle = RuleFiles.startupBundle("replay", rules.selection(), mode, cli.err);
        if (bundle == null) {
            return Commands.FAILURE;
        }
        List<ReplayInput> replayInputs = new ArrayList<>();
        for (Path f : files) {
            replayInputs.add(ReplayInput.file(f.toString()));
        }
        ReplayRunner.run(replayInputs, bundle, mode, cli, outputSpecs, conf);
        return 0;
    }
}

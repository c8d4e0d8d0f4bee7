package io.trailguard.job.cli;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.ConfigKey;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.output.AlertOutputs;
import io.trailguard.job.replay.ReplayFormat;
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
 * Runs the inputs (files, or directories read recursively; or the CloudTrail files under S3 locations, see
 * {@link S3Replay}) through the detection stages; on stdout, when the replay has ended, one line per alert in
 * event-time order (a JSON alert, or with {@code --format text} a readable line) and nothing else; logs, dead
 * letters, progress and the summary (counts by priority and rule, incidents, dead letters by reason) on stderr. Exit
 * 0 when the input was processed (dead letters included), 1 for invalid rules, 2 for a usage error or a missing
 * input path.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionInfo.class, name = "replay", sortOptions = false,
        description = {"Run files or directories of CloudTrail events, or s3:// trail locations, through the job "
                + "(bounded): one alert per line on stdout in event-time order; logs, dead letters and the summary "
                + "(by priority, rule, incident, dead-letter reason) on stderr."})
final class ReplayCommand implements Callable<Integer> {
    private final Cli cli;

    @Option(names = {"-i", "--input"}, arity = "1..*", split = ",", required = true, paramLabel = "PATH",
            description = "event files (.json, .jsonl, .gz: log files, records, EventBridge envelopes) or "
                    + "directories; - reads stdin; or s3://BUCKET[/PREFIX] locations of CloudTrail log files")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--since", paramLabel = "TIME|DURATION",
            description = "s3:// inputs: events from this instant, date or duration back from now (e.g. 2h)")
    String since;

    @Option(names = "--until", paramLabel = "TIME|DURATION",
            description = "s3:// inputs: events up to this instant, date or duration back from now")
    String until;

    @Option(names = "--accounts", split = ",", paramLabel = "ACCOUNT",
            description = "s3:// inputs: only these accounts' log files")
    List<String> accounts = new ArrayList<>();

    @Option(names = "--regions", split = ",", paramLabel = "REGION",
            description = "s3:// inputs: only these regions' log files")
    List<String> regions = new ArrayList<>();

    @Option(names = {"-f", "--format"}, paramLabel = "json|text", defaultValue = "json",
            description = "stdout lines: a JSON alert (default) or a readable line")
    String format;

    @Mixin
    RuleOptions rules = new RuleOptions();

    @Mixin
    Matching matching = new Matching();

    @Option(names = {"-o", "--output"}, arity = "1..*", split = ",", paramLabel = "SPEC",
            description = "alert outputs: stdout (default), file:PATH, ocsf:PATH, securityhub, cloudwatch:GROUP "
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
        ReplayFormat lineFormat;
        try {
            lineFormat = ReplayFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new UsageException("replay: --format: " + e.getMessage());
        }
        long s3 = inputs.stream().filter(i -> i.startsWith("s3://")).count();
        if (s3 > 0 && s3 < inputs.size()) {
            throw new UsageException("replay: give either s3:// locations or local paths, not both");
        }
        if (s3 == 0) {
            String s3Only = since != null ? "--since" : until != null ? "--until"
                    : !accounts.isEmpty() ? "--accounts" : !regions.isEmpty() ? "--regions" : null;
            if (s3Only != null) {
                throw new UsageException("replay: " + s3Only + " applies to s3:// inputs");
            }
        }
        if (s3 > 0) {
            return s3Replay(mode);
        }
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
        TrailguardConfig conf = configuration();
        List<String> outputSpecs = outputSpecs(conf);
        RuleBundle bundle = RuleFiles.startupBundle("replay", rules.selection(), mode, cli.err);
        if (bundle == null) {
            return Commands.FAILURE;
        }
        List<ReplayInput> replayInputs = new ArrayList<>();
        for (Path f : files) {
            replayInputs.add(ReplayInput.file(f.toString()));
        }
        ReplayRunner.run(replayInputs, bundle, mode, cli, outputSpecs, conf, lineFormat);
        return 0;
    }

    private int s3Replay(MatchingMode mode) throws Exception {
        TrailguardConfig conf = configuration();
        List<String> outputSpecs = outputSpecs(conf);
        S3Replay.Request request = S3Replay.request(since, until, accounts, regions, conf);
        RuleBundle bundle = RuleFiles.startupBundle("replay", rules.selection(), mode, cli.err);
        if (bundle == null) {
            return Commands.FAILURE;
        }
        return S3Replay.run(inputs, request, bundle, mode, cli, outputSpecs, conf);
    }

    private TrailguardConfig configuration() throws UsageException, java.io.IOException {
        Map<String, String> flags = new LinkedHashMap<>();
        aws.into(flags);
        if (!outputs.isEmpty()) {
            flags.put(ConfigKey.OUTPUTS.key(), String.join(",", outputs));
        }
        return RunCommand.configuration("replay", config, flags);
    }

    /** The job's default outputs key is for run; a replay writes to stdout unless told otherwise here. */
    private List<String> outputSpecs(TrailguardConfig conf) throws UsageException {
        List<String> outputSpecs = outputs.isEmpty() ? List.of("stdout") : conf.outputs();
        try {
            AlertOutputs.create(outputSpecs, AlertOutputs.Mode.REPLAY, cli.consoleId, conf); // validate early
        } catch (IllegalArgumentException e) {
            throw new UsageException("replay: " + e.getMessage());
        }
        return outputSpecs;
    }
}

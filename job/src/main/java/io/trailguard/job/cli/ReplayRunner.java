package io.trailguard.job.cli;

import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.metrics.Counters;
import io.trailguard.job.output.AlertOutputs;
import io.trailguard.job.output.ReplayFile;
import io.trailguard.job.output.DeadLetterOutputs;
import io.trailguard.job.output.OutputLines;
import io.trailguard.job.output.ReplayReportOutput;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.pipeline.PipelineOutput;
import io.trailguard.job.pipeline.PipelineSettings;
import io.trailguard.job.replay.BoundedReplay;
import io.trailguard.job.replay.ReplayFilesSource;
import io.trailguard.job.replay.ReplayFormat;
import io.trailguard.job.replay.ReplayInput;
import io.trailguard.job.replay.ReplayOutput;
import io.trailguard.job.replay.ReplayReport;
import io.trailguard.job.replay.ReplayReports;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.job.sink.aws.FindingMapper;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.incident.EvidenceOf;
import io.trailguard.rules.incident.IncidentCorrelator;
import io.trailguard.rules.incident.SubjectActor;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs a replay: on stdout, once the replay has ended, the alerts in replay order (incidents in their last version),
 * dead letters as JSON lines on stderr, progress and a closing summary (counts, by priority, by rule, incidents,
 * dead letters by reason) on stderr. Two executors with the same stages and the same alerts:
 * <ul>
 *   <li><b>direct</b> ({@link BoundedReplay}, on this thread, no cluster): when every alert output is {@code stdout}
 *       and no surrounding Flink cluster runs the command; it skips the MiniCluster's start-up and deployment; the
 *       incident stage runs over the finished alerts ({@link IncidentCorrelator}, the logic the job's keyed stage
 *       runs);</li>
 *   <li><b>cluster</b>: the detection graph ({@link DetectionPipeline#build}, bounded settings) in a MiniCluster, for
 *       the outputs that are Flink sinks (file, Security Hub, CloudWatch Logs), for S3 inputs and inside a
 *       cluster.</li>
 * </ul>
 */
final class ReplayRunner {
    /** The counts of a finished replay. */
    static final class Summary {
        final long files;
        final long events;
        final long deadLetters;
        final long duplicates;
        final long alerts;
        final double seconds;

        Summary(long files, long events, long deadLetters, long duplicates, long alerts, double seconds) {
            this.files = files;
            this.events = events;
            this.deadLetters = deadLetters;
            this.duplicates = duplicates;
            this.alerts = alerts;
            this.seconds = seconds;
        }

        @Override
        public String toString() {
            return String.format("replay: %d files, %d events read, %d dead-lettered, %d duplicates dropped, "
                            + "%d alerts in %.1f s", files, events, deadLetters, duplicates, alerts, seconds);
        }
    }

    private ReplayRunner() {
    }

    /** Runs the replay; returns its summary (also printed to stderr). */
    static Summary run(List<ReplayInput> inputs, RuleBundle rules, MatchingMode matching, Cli cli) throws Exception {
        return run(inputs, rules, matching, cli, List.of("stdout"), TrailguardConfig.empty());
    }

    /** As above, with alert outputs given by spec ({@code stdout}, {@code file:PATH}, {@code securityhub} ...). */
    static Summary run(List<ReplayInput> inputs, RuleBundle rules, MatchingMode matching, Cli cli,
                       List<String> outputSpecs, TrailguardConfig config) throws Exception {
        return run(inputs, rules, matching, cli, outputSpecs, config, ReplayFormat.JSON);
    }

    /** As above, the stdout lines in {@code format}. */
    static Summary run(List<ReplayInput> inputs, RuleBundle rules, MatchingMode matching, Cli cli,
                       List<String> outputSpecs, TrailguardConfig config, ReplayFormat format) throws Exception {
        if (direct(outputSpecs)) {
            return runDirect(inputs, rules, matching, cli, format);
        }
        return runOnCluster(inputs, rules, matching, cli, outputSpecs, config, format);
    }

    /**
     * On the cluster, with another bounded source of {@code totalFiles} files that counts the files it finished in
     * the {@value Counters#FILES_DONE} accumulator (the S3 replay source).
     */
    static Summary run(SourceFunction<RawRecord> source, int totalFiles, RuleBundle rules, MatchingMode matching,
                       Cli cli, List<String> outputSpecs, TrailguardConfig config) throws Exception {
        return runOnCluster(env -> env.addSource(source, "Replay files", TypeInformation.of(RawRecord.class)),
                acc -> ReplayProgress.number(acc.get(Counters.FILES_DONE)), totalFiles, rules, matching, cli,
                outputSpecs, config, ReplayFormat.JSON);
    }

    /** True when the direct executor can serve the outputs: stdout only, and no surrounding cluster. */
    static boolean direct(List<String> outputSpecs) {
        for (String spec : outputSpecs) {
            if (!spec.trim().equalsIgnoreCase("stdout")) {
                return false;
            }
        }
        return !Commands.inClusterContext();
    }

    /** The replay on this thread ({@link BoundedReplay}), then the incident stage over its alerts. */
    static Summary runDirect(List<ReplayInput> inputs, RuleBundle rules, MatchingMode matching, Cli cli,
                             ReplayFormat format) {
        long started = System.nanoTime();
        ReplayProgress progress = new ReplayProgress(cli.err, inputs.size(), System.console() != null);
        ReplayReport report = new ReplayReport();
        List<Alert> alerts = new ArrayList<>();
        BoundedReplay.Counts c = new BoundedReplay(rules, matching, PipelineSettings.bounded(rules).dedupHorizon())
                .run(inputs, new ReplayOutput() {
                    @Override
                    public void alert(Alert a) {
                        alerts.add(a);
                        report.add(a);
                    }

                    @Override
                    public void deadLetter(DeadLetter d) {
                        cli.err.println(OutputLines.deadLetter(d));
                        report.addDeadLetter(d);
                    }

                    @Override
                    public void finish() {
                        cli.err.flush();
                    }
                }, new BoundedReplay.Progress() {
                    @Override
                    public long intervalMillis() {
                        return progress.intervalMillis();
                    }

                    @Override
                    public void update(BoundedReplay.Counts soFar) {
                        progress.update(Map.of(Counters.FILES_DONE, soFar.files, Counters.EVENTS, soFar.events));
                    }
                });
        IncidentCorrelator incidents = new IncidentCorrelator(
                CompiledBundle.compile(rules, matching).incidentPolicy(),
                new EvidenceOf(SubjectActor.INSTANCE, FindingMapper::findingId));
        // the report keeps an incident's last version only
        for (Alert incident : incidents.latestIncidents(alerts)) {
            report.add(incident);
        }
        progress.finish();
        Summary s = new Summary(c.files, c.events, c.deadLetters, c.duplicates, report.ordered().size(),
                (System.nanoTime() - started) / 1e9);
        return finish(report, s, true, format, cli);
    }

    /** The replay of files as a bounded job in a MiniCluster (or the surrounding cluster). */
    static Summary runOnCluster(List<ReplayInput> inputs, RuleBundle rules, MatchingMode matching, Cli cli,
                                List<String> outputSpecs, TrailguardConfig config) throws Exception {
        return runOnCluster(inputs, rules, matching, cli, outputSpecs, config, ReplayFormat.JSON);
    }

    static Summary runOnCluster(List<ReplayInput> inputs, RuleBundle rules, MatchingMode matching, Cli cli,
                                List<String> outputSpecs, TrailguardConfig config, ReplayFormat format)
            throws Exception {
        String runId = UUID.randomUUID().toString();
        try {
            return runOnCluster(env -> env.fromSource(new ReplayFilesSource(inputs, runId),
                            WatermarkStrategy.noWatermarks(), "Replay files", TypeInformation.of(RawRecord.class)),
                    acc -> ReplayFilesSource.filesDone(runId), inputs.size(), rules, matching, cli, outputSpecs,
                    config, format);
        } finally {
            ReplayFilesSource.forget(runId);
        }
    }

    /** The replay as a bounded job in a MiniCluster (or the surrounding cluster), from any bounded input. */
    static Summary runOnCluster(Function<StreamExecutionEnvironment, DataStreamSource<RawRecord>> input,
                                Function<Map<String, Object>, Long> filesDone, int totalFiles, RuleBundle rules,
                                MatchingMode matching, Cli cli, List<String> outputSpecs, TrailguardConfig config,
                                ReplayFormat format) throws Exception {
        long started = System.nanoTime();
        Configuration conf = new Configuration();
        // Accumulators (the progress line) travel with heartbeats: report every second.
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (env instanceof LocalStreamEnvironment) {
            // Our own MiniCluster: the configured parallelism, else sized to the machine. (A surrounding cluster,
            // e.g. a test's, keeps its own.)
            env.setParallelism(config.parallelism());
        }
        DataStream<RawRecord> events = input.apply(env)
                .setParallelism(1).name("Replay files").uid("replay-source");
        ReplayReport report = new ReplayReport();
        String reportId = ReplayReports.register(report);
        try {
            List<PipelineOutput> outputs = new ArrayList<>();
            List<String> others = new ArrayList<>();
            // file: outputs are written from the report when the replay ends, in replay order
            List<ReplayFile> files = new ArrayList<>();
            boolean toStdout = false;
            for (String spec : new LinkedHashSet<>(outputSpecs)) {
                ReplayFile file = ReplayFile.of(spec);
                if (spec.trim().equalsIgnoreCase("stdout")) {
                    toStdout = true;
                } else if (file != null) {
                    files.add(file);
                } else {
                    others.add(spec);
                }
            }
            if (!others.isEmpty()) {
                outputs.addAll(AlertOutputs.create(others, AlertOutputs.Mode.REPLAY, cli.consoleId, config));
            }
            // the report gathers every alert (for the summary and the files); it prints them when stdout is an output
            outputs.add(new ReplayReportOutput(reportId));
            outputs.add(DeadLetterOutputs.create("stderr", cli.consoleId));
            DetectionPipeline.build(env, events, null, PipelineSettings.bounded(rules).withMatching(matching),
                    outputs);

            JobClient job = env.executeAsync("trailguard replay");
            ReplayProgress progress = new ReplayProgress(cli.err, totalFiles, System.console() != null);
            CompletableFuture<JobExecutionResult> done = job.getJobExecutionResult();
            while (true) {
                try {
                    done.get(progress.intervalMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException stillRunning) {
                    try {
                        Map<String, Object> counts = new HashMap<>(job.getAccumulators().get(5, TimeUnit.SECONDS));
                        counts.put(Counters.FILES_DONE, filesDone.apply(counts));
                        progress.update(counts);
                    } catch (ExecutionException | TimeoutException | IllegalStateException notAvailable) {
                        // The job finished between the two calls (our own MiniCluster then shuts down), or the
                        // cluster is busy: next round.
                    }
                }
            }
            progress.finish();
            JobExecutionResult result = done.get();
            Map<String, Object> acc = result.getAllAccumulatorResults();
            Summary s = new Summary(filesDone.apply(acc),
                    ReplayProgress.number(acc.get(Counters.EVENTS)),
                    ReplayProgress.number(acc.get(Counters.DEAD_LETTERS)),
                    ReplayProgress.number(acc.get(Counters.DUPLICATES)), report.ordered().size(),
                    (System.nanoTime() - started) / 1e9);
            for (ReplayFile file : files) {
                file.write(report.ordered());
            }
            return finish(report, s, toStdout, format, cli);
        } finally {
            ReplayReports.unregister(reportId);
        }
    }

    private static Summary finish(ReplayReport report, Summary s, boolean toStdout, ReplayFormat format, Cli cli) {
        if (toStdout) {
            report.printAlerts(cli.out, format);
        }
        cli.out.flush();
        cli.err.println(s);
        for (String line : report.summary()) {
            cli.err.println(line);
        }
        cli.err.flush();
        return s;
    }
}

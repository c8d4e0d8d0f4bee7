package io.trailguard.job.cli;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.metrics.Counters;
import io.trailguard.job.output.AlertOutputs;
import io.trailguard.job.output.DeadLetterOutputs;
import io.trailguard.job.output.ReplayReportOutput;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.pipeline.PipelineOutput;
import io.trailguard.job.pipeline.PipelineSettings;
import io.trailguard.job.replay.ReplayFileSource;
import io.trailguard.job.replay.ReplayFormat;
import io.trailguard.job.replay.ReplayInput;
import io.trailguard.job.replay.ReplayReport;
import io.trailguard.job.replay.ReplayReports;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.engine.MatchingMode;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the detection graph over replay inputs in a MiniCluster (bounded): alerts on stdout, dead letters as JSON
 * lines on stderr, progress and a closing summary on stderr.
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

    /**
     * As above; {@code stdout} prints the alerts in {@link io.trailguard.job.replay.ReplayOrder} once the replay has
     * ended, in {@code format}, and the summary on stderr adds the {@link ReplayReport} (by priority, by rule,
     * incidents, dead letters by reason).
     */
    static Summary run(List<ReplayInput> inputs, RuleBundle rules, MatchingMode matching, Cli cli,
                       List<String> outputSpecs, TrailguardConfig config, ReplayFormat format) throws Exception {
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

        DataStream<RawRecord> events = env
                .addSource(new ReplayFileSource(inputs), "Replay files", TypeInformation.of(RawRecord.class))
                .setParallelism(1).name("Replay files").uid("replay-source");
        ReplayReport report = new ReplayReport();
        String reportId = ReplayReports.register(report);
        try {
            return run(env, events, inputs, rules, matching, cli, outputSpecs, config, format, report, reportId,
                    started);
        } finally {
            ReplayReports.unregister(reportId);
        }
    }

    private static Summary run(StreamExecutionEnvironment env, DataStream<RawRecord> events, List<ReplayInput> inputs,
                               RuleBundle rules, MatchingMode matching, Cli cli, List<String> outputSpecs,
                               TrailguardConfig config, ReplayFormat format, ReplayReport report, String reportId,
                               long started) throws Exception {
        List<PipelineOutput> outputs = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String spec : outputSpecs) {
            if (!spec.trim().equalsIgnoreCase("stdout")) {
                others.add(spec);
            }
        }
        if (!others.isEmpty()) {
            outputs.addAll(AlertOutputs.create(others, AlertOutputs.Mode.REPLAY, cli.consoleId, config));
        }
        // the report gathers every alert (for the summary); it prints them only when stdout is an output
        boolean toStdout = others.size() < outputSpecs.size();
        outputs.add(new ReplayReportOutput(reportId));
        outputs.add(DeadLetterOutputs.create("stderr", cli.consoleId));
        DetectionPipeline.build(env, events, null, PipelineSettings.bounded(rules).withMatching(matching), outputs);

        JobClient job = env.executeAsync("trailguard replay");
        ReplayProgress progress = new ReplayProgress(cli.err, inputs.size(), System.console() != null);
        CompletableFuture<JobExecutionResult> done = job.getJobExecutionResult();
        while (true) {
            try {
                done.get(progress.intervalMillis(), TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException stillRunning) {
                try {
                    progress.update(job.getAccumulators().get(5, TimeUnit.SECONDS));
                } catch (ExecutionException | TimeoutException | IllegalStateException notAvailable) {
                    // The job finished between the two calls (our own MiniCluster then shuts down), or the
                    // cluster is busy: next round.
                }
            }
        }
        progress.finish();
        JobExecutionResult result = done.get();
        Map<String, Object> acc = result.getAllAccumulatorResults();
        Summary s = new Summary(ReplayProgress.number(acc.get(Counters.FILES_DONE)),
                ReplayProgress.number(acc.get(Counters.EVENTS)), ReplayProgress.number(acc.get(Counters.DEAD_LETTERS)),
                ReplayProgress.number(acc.get(Counters.DUPLICATES)), report.ordered().size(),
                (System.nanoTime() - started) / 1e9);
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

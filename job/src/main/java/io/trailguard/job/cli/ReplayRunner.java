package io.trailguard.job.cli;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.metrics.Counters;
import io.trailguard.job.output.AlertOutputs;
import io.trailguard.job.output.DeadLetterOutputs;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.pipeline.PipelineOutput;
import io.trailguard.job.pipeline.PipelineSettings;
import io.trailguard.job.replay.ReplayFileSource;
import io.trailguard.job.replay.ReplayInput;
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
        long started = System.nanoTime();
        Configuration conf = new Configuration();
        // Accumulators (the progress line) travel with heartbeats: report every second.
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (env instanceof LocalStreamEnvironment) {
            // Our own MiniCluster: size it to the machine. (A surrounding cluster, e.g. a test's, keeps its own.)
            env.setParallelism(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
        }

        DataStream<RawRecord> events = env
                .addSource(new ReplayFileSource(inputs), "Replay files", TypeInformation.of(RawRecord.class))
                .setParallelism(1).name("Replay files").uid("replay-source");
        List<PipelineOutput> outputs = new ArrayList<>();
        outputs.addAll(AlertOutputs.create(outputSpecs, AlertOutputs.Mode.REPLAY, cli.consoleId, config));
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
                } catch (ExecutionException | TimeoutException notAvailable) {
                    // The job finished between the two calls, or the cluster is busy: next round.
                }
            }
        }
        progress.finish();
        JobExecutionResult result = done.get();
        Map<String, Object> acc = result.getAllAccumulatorResults();
        Summary s = new Summary(ReplayProgress.number(acc.get(Counters.FILES_DONE)),
                ReplayProgress.number(acc.get(Counters.EVENTS)), ReplayProgress.number(acc.get(Counters.DEAD_LETTERS)),
                ReplayProgress.number(acc.get(Counters.DUPLICATES)), ReplayProgress.number(acc.get(Counters.ALERTS)),
                (System.nanoTime() - started) / 1e9);
        cli.out.flush();
        cli.err.println(s);
        return s;
    }
}

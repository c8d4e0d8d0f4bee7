package io.trailguard.job.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.output.AlertOutputs;
import io.trailguard.job.output.DeadLetterOutputs;
import io.trailguard.job.output.LocalConsole;
import io.trailguard.job.pipeline.PipelineOutput;
import io.trailguard.job.pipeline.StreamingJob;
import io.trailguard.job.serde.JobJson;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The streaming job as {@code run} builds it (its configured outputs and dead-letter output), started in the test's
 * local cluster at parallelism 2, and its JSON-line file outputs read back: what the Kinesis and S3 job harnesses
 * share.
 */
public final class LocalJobs {
    private LocalJobs() {
    }

    /** Builds and starts the job; returns once it is RUNNING (waiting at most {@code wait}). */
    public static JobClient start(TrailguardConfig config, RuleBundle startup, String name, Duration wait)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                StreamingJob.localConfiguration(config));
        env.setParallelism(2);
        List<PipelineOutput> outputs = new ArrayList<>(
                AlertOutputs.create(config.outputs(), AlertOutputs.Mode.RUN, LocalConsole.SYSTEM));
        outputs.add(DeadLetterOutputs.create(config.deadLetterOutput(), LocalConsole.SYSTEM));
        StreamingJob.build(env, config, startup, outputs);
        JobClient job = env.executeAsync(name);
        await("job running", wait, () -> status(job) == JobStatus.RUNNING);
        return job;
    }

    public static void stop(JobClient job, Duration wait) throws Exception {
        job.cancel().get(30, TimeUnit.SECONDS);
        await("job cancelled", wait, () -> status(job).isGloballyTerminalState());
    }

    public static JobStatus status(JobClient job) {
        try {
            return job.getJobStatus().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON lines of an output file so far (a last line still being written is left out). */
    public static List<JsonNode> lines(Path file) {
        if (!Files.exists(file)) {
            return new ArrayList<>();
        }
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            List<JsonNode> out = new ArrayList<>();
            String[] parts = text.split("\n", -1);
            for (int i = 0; i < parts.length - 1; i++) {
                out.add(JobJson.mapper().readTree(parts[i]));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} every 100 ms; fails naming {@code what} after {@code wait}. */
    public static void await(String what, Duration wait, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + wait.getSeconds() + " s waiting for: " + what);
    }
}

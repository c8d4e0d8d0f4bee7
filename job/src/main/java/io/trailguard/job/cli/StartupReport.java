package io.trailguard.job.cli;

import io.trailguard.job.aws.AwsClients;
import io.trailguard.job.aws.AwsConnection;
import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.kinesis.StreamProbe;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The one {@code ready} line of {@code run}, printed at start-up (not at the first event) once the streams have
 * answered ({@link StreamProbe}) and the submitted job reports RUNNING, so the start-up rules are active:
 * <pre>ready: events stream 'events' (2 shards), control stream 'control' (1 shard); rules bundled (654704c0cae6),
 * 57 rules; outputs stdout; dead letters stderr</pre>
 * "RUNNING" is Flink's job status: every task is deployed or being deployed; the sources connect to streams that
 * answered a moment before.
 */
final class StartupReport {
    private static final Logger LOG = LoggerFactory.getLogger(StartupReport.class);
    private static final long POLL_MILLIS = 200;

    private StartupReport() {
    }

    /**
     * Checks the streams before the job is submitted; on the command line waits until they answer (see
     * {@link StreamProbe}), inside a cluster checks once.
     */
    static List<StreamProbe.StreamInfo> probe(TrailguardConfig config) throws InterruptedException {
        try (KinesisClient client = AwsClients.kinesis(AwsConnection.kinesis(config))) {
            return new StreamProbe(client, StreamProbe.endpointOf(config), Thread::sleep, LOG::warn, LOG::info)
                    .check(config, !Commands.inClusterContext());
        }
    }

    /** Logs the {@code ready} line once the job is RUNNING (see {@link #whenRunning}). */
    static void logWhenRunning(JobClient job, TrailguardConfig config, List<StreamProbe.StreamInfo> streams,
                               RuleBundle startup) throws InterruptedException {
        whenRunning(job, line(config, streams, startup), l -> LOG.info("{}", l));
    }

    /** The text of the line. */
    static String line(TrailguardConfig config, List<StreamProbe.StreamInfo> streams, RuleBundle startup) {
        CompiledBundle c = CompiledBundle.compile(startup, config.matching());
        StringBuilder b = new StringBuilder("ready: ");
        if (config.eventsStreamIfAny() != null) {
            b.append(described(streams, "events", config.eventsStream().name()));
        }
        if (config.eventsQueue() != null) {
            b.append(config.eventsStreamIfAny() != null ? ", " : "").append("events queue '")
                    .append(config.eventsQueue()).append("'");
        }
        b.append(", ").append(config.controlStream() == null ? "no control stream"
                : described(streams, "control", config.controlStream().name()));
        b.append("; rules ").append(startup.version()).append(" (").append(startup.shortHash()).append("), ")
                .append(c.ruleCount()).append(c.ruleCount() == 1 ? " rule" : " rules");
        if (c.detectionDisabled()) {
            b.append(" (DETECTION IS DISABLED: intentionally empty bundle)");
        }
        b.append("; outputs ").append(String.join(", ", config.outputs()))
                .append("; dead letters ").append(config.deadLetterOutput());
        return b.toString();
    }

    private static String described(List<StreamProbe.StreamInfo> streams, String role, String name) {
        for (StreamProbe.StreamInfo s : streams) {
            if (s.role.equals(role)) {
                return s.toString();
            }
        }
        return role + " stream '" + name + "' (not answering yet)";
    }

    /**
     * Waits until the job is RUNNING, then gives {@code line} to {@code out} once. Returns false without printing
     * when the job ends first (its result tells why).
     */
    static boolean whenRunning(JobClient job, String line, Consumer<String> out) throws InterruptedException {
        while (true) {
            JobStatus s;
            try {
                s = job.getJobStatus().get();
            } catch (ExecutionException e) {
                return false; // the job is gone; getJobExecutionResult() reports how it ended
            }
            if (s == JobStatus.RUNNING) {
                out.accept(line);
                return true;
            }
            if (s.isTerminalState()) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}

package io.trailguard.job.kinesis;

import io.trailguard.job.config.StreamRef;
import io.trailguard.job.config.TrailguardConfig;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryResponse;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Before {@code run} submits the job: checks that the Kinesis streams answer ({@code DescribeStreamSummary}) and, on
 * the command line, waits until they do, with bounded exponential backoff and one clear WARN per attempt naming the
 * stream, the endpoint and the error ({@code events stream 'events' at http://localhost:1 is unreachable: Connection
 * refused; retrying in 4 s}), instead of the Flink connector's stack trace per retry and a job restart loop. The
 * answer also gives the shard counts for the {@code ready} line.
 *
 * <p>Only the events stream is waited for. Inside a cluster (Managed Flink) it checks once and never waits: the
 * application's main must return, and the job's restart strategy then covers the outage.
 */
public final class StreamProbe {
    /** First wait after a failed check; doubled after each failure up to {@link #MAX_BACKOFF_MILLIS}. */
    public static final long INITIAL_BACKOFF_MILLIS = 1_000;
    public static final long MAX_BACKOFF_MILLIS = 30_000;

    /** Sleeps between attempts (a test may replace it). */
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** A stream that answered. */
    public static final class StreamInfo {
        public final String role;
        public final String name;
        public final int openShards;

        StreamInfo(String role, String name, int openShards) {
            this.role = role;
            this.name = name;
            this.openShards = openShards;
        }

        @Override
        public String toString() {
            return role + " stream '" + name + "' (" + openShards + (openShards == 1 ? " shard)" : " shards)");
        }
    }

    private final KinesisClient client;
    private final String endpoint;
    private final Sleeper sleeper;
    private final Consumer<String> warn;
    private final Consumer<String> info;

    public StreamProbe(KinesisClient client, String endpoint, Sleeper sleeper, Consumer<String> warn,
                       Consumer<String> info) {
        this.client = client;
        this.endpoint = endpoint;
        this.sleeper = sleeper;
        this.warn = warn;
        this.info = info;
    }

    /** The endpoint a configuration's clients talk to, for messages. */
    public static String endpointOf(TrailguardConfig config) {
        return config.endpoint() != null ? config.endpoint() : "https://kinesis." + config.region() + ".amazonaws.com";
    }

    /**
     * Checks the events stream (waiting, when {@code wait}, until it answers: without it the job cannot run), then the
     * control stream once (a missing control stream does not stop the job: it starts with the default rules and its
     * control source waits for the stream, see {@link ControlStreamConsumer}). Returns the streams that answered.
     */
    public List<StreamInfo> check(TrailguardConfig config, boolean wait) throws InterruptedException {
        List<StreamInfo> out = new ArrayList<>();
        StreamRef eventsStream = config.eventsStreamIfAny();
        StreamInfo events = eventsStream == null ? null : check("events", eventsStream.name(), wait,
                "starting anyway: the job restarts with backoff until it answers");
        if (events != null) {
            out.add(events);
        }
        StreamRef control = config.controlStream();
        if (control != null) {
            StreamInfo c = check("control", control.name(), false,
                    "starting with the default rules: the control source waits for the stream");
            if (c != null) {
                out.add(c);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Checks one stream. With {@code wait}, a stream that does not answer is checked again after 1, 2, 4, ... 30, 30 s
     * until it does; without, it is reported once ({@code otherwise} says what happens then) and null is returned.
     */
    StreamInfo check(String role, String name, boolean wait, String otherwise) throws InterruptedException {
        long backoff = INITIAL_BACKOFF_MILLIS;
        int failures = 0;
        while (true) {
            String problem;
            try {
                DescribeStreamSummaryResponse r = client.describeStreamSummary(b -> b.streamName(name));
                Integer open = r.streamDescriptionSummary().openShardCount();
                if (failures > 0) {
                    info.accept(role + " stream '" + name + "' at " + endpoint + " answers after " + failures
                            + (failures == 1 ? " failed check" : " failed checks"));
                }
                return new StreamInfo(role, name, open == null ? -1 : open);
            } catch (ResourceNotFoundException e) {
                problem = "does not exist (" + serviceError(e) + ")";
            } catch (AwsServiceException e) {
                problem = "refuses DescribeStreamSummary: " + serviceError(e);
            } catch (RuntimeException e) {
                problem = "is unreachable: " + rootMessage(e);
            }
            failures++;
            if (!wait) {
                warn.accept(role + " stream '" + name + "' at " + endpoint + " " + problem + "; " + otherwise);
                return null;
            }
            warn.accept(role + " stream '" + name + "' at " + endpoint + " " + problem + "; retrying in "
                    + seconds(backoff) + " (check " + failures + ")");
            sleeper.sleep(backoff);
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }

    private static String serviceError(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return (code == null ? e.getClass().getSimpleName() : code) + (message == null ? "" : ": " + message);
    }

    /** The innermost cause's message ("Connection refused"), or its class when it has none. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        if (m == null || m.trim().isEmpty()) {
            return root.getClass().getSimpleName();
        }
        String oneLine = m.replaceAll("\\s+", " ").trim();
        return root instanceof java.net.UnknownHostException ? "unknown host " + oneLine : oneLine;
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}

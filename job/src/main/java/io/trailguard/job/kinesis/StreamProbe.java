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
 * <p>Inside a cluster (Managed Flink) it checks once and never waits: the application's main must return, and the
 * job's restart strategy then covers the outage.
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

    /** The events stream, then the control stream when one is configured. */
    public static List<String[]> streamsOf(TrailguardConfig config) {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"events", config.eventsStream().name()});
        StreamRef control = config.controlStream();
        if (control != null) {
            out.add(new String[] {"control", control.name()});
        }
        return out;
    }

    /**
     * Checks each stream (role, name), in order. With {@code wait}, a stream that does not answer is checked again
     * after 1, 2, 4, ... 30, 30 s until it does; without, it is reported once and left out of the result.
     */
    public List<StreamInfo> check(List<String[]> streams, boolean wait) throws InterruptedException {
        List<StreamInfo> out = new ArrayList<>();
        for (String[] s : streams) {
            StreamInfo info = check(s[0], s[1], wait);
            if (info != null) {
                out.add(info);
            }
        }
        return Collections.unmodifiableList(out);
    }

    private StreamInfo check(String role, String name, boolean wait) throws InterruptedException {
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
                warn.accept(role + " stream '" + name + "' at " + endpoint + " " + problem
                        + "; starting anyway, the job restarts with backoff until it answers");
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

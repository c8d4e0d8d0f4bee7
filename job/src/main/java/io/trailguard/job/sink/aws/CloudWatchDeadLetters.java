package io.trailguard.job.sink.aws;

import io.trailguard.job.aws.AwsClients;
import io.trailguard.job.aws.AwsConnection;
import io.trailguard.rules.event.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * Dead letters as JSON lines in a CloudWatch Logs group ({@code sink.dead_letter=cloudwatch:GROUP[:PREFIX]}), one
 * stream per output and subtask ({@code PREFIX/securityhub/0}), created when missing (the group too, when allowed).
 * Durable, and it exists on Managed Flink, where there is no local disk to keep: the job's role already writes to
 * its alert log group. Each line is also logged at ERROR. A write is tried {@value #ATTEMPTS} times with a short
 * backoff; when it still fails {@link #accept} throws and the writer keeps the entry held, so the dead letter is
 * retried with the entry and never lost.
 */
final class CloudWatchDeadLetters implements SinkDeadLetters {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CloudWatchDeadLetters.class);
    private static final int ATTEMPTS = 3;
    private static final int MAX_MESSAGE_BYTES = CloudWatchLogsSink.DEFAULT_MAX_EVENT_BYTES - LogLine.EVENT_OVERHEAD_BYTES;

    private final AwsConnection connection;
    private final String group;
    private final String streamPrefix;
    private final boolean createLogGroup;
    private transient CloudWatchLogsClient client;
    private transient Set<String> streams;

    CloudWatchDeadLetters(AwsConnection connection, String group, String streamPrefix, boolean createLogGroup) {
        this.connection = connection;
        this.group = group;
        this.streamPrefix = streamPrefix;
        this.createLogGroup = createLogGroup;
    }

    String group() {
        return group;
    }

    String streamName(String output, int subtask) {
        return streamPrefix + "/" + output + "/" + subtask;
    }

    @Override
    public void accept(DeadLetter letter, int subtask) {
        new LogDeadLetters().accept(letter, subtask);
        String message = JsonLineFitter.fit(letter.toJsonLine(), MAX_MESSAGE_BYTES);
        String stream = streamName(letter.delivery().output(), subtask);
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                put(stream, message);
                return;
            } catch (ResourceNotFoundException e) {
                forget(stream); // created again on the next try
                last = e;
            } catch (RuntimeException e) {
                last = e;
            }
            if (attempt < ATTEMPTS) {
                try {
                    Thread.sleep(200L << (attempt - 1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new IllegalStateException("cannot write the dead letter to CloudWatch Logs " + group + "/" + stream
                + ": " + (last == null ? "interrupted" : AwsErrors.errorCode(last) + ": " + AwsErrors.message(last)),
                last);
    }

    private synchronized void put(String stream, String message) {
        CloudWatchLogsClient c = client();
        if (!streams.contains(stream)) {
            createStream(c, stream);
            streams.add(stream);
        }
        c.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(
                Collections.singletonList(InputLogEvent.builder().timestamp(System.currentTimeMillis())
                        .message(message).build())));
    }

    private void createStream(CloudWatchLogsClient c, String stream) {
        try {
            c.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
        } catch (ResourceAlreadyExistsException ignored) {
            // a restarted writer reuses its stream
        } catch (ResourceNotFoundException e) {
            if (!createLogGroup) {
                throw e;
            }
            try {
                c.createLogGroup(b -> b.logGroupName(group));
                LOG.info("created dead-letter log group {}", group);
            } catch (ResourceAlreadyExistsException ignored) {
                // created meanwhile
            }
            try {
                c.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
            } catch (ResourceAlreadyExistsException ignored) {
                // created meanwhile
            }
        }
    }

    private synchronized void forget(String stream) {
        if (streams != null) {
            streams.remove(stream);
        }
    }

    private CloudWatchLogsClient client() {
        if (client == null) {
            client = AwsClients.cloudWatchLogsForSink(connection);
            streams = new HashSet<>();
        }
        return client;
    }

    @Override
    public String toString() {
        return "cloudwatch:" + group + ":" + streamPrefix;
    }
}

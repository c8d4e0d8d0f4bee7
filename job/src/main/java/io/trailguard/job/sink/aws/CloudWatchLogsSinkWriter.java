package io.trailguard.job.sink.aws;

import io.trailguard.job.aws.AwsClients;
import io.trailguard.job.aws.AwsConnection;
import io.trailguard.rules.event.DeadLetter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DataAlreadyAcceptedException;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidSequenceTokenException;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes batches of JSON lines to one log stream per subtask with {@code PutLogEvents}, one attempt per batch
 * ({@link RetryingAwsWriter} holds and retries what is left). The stream (and, when allowed, the group) is created on
 * first use and again after a {@code ResourceNotFoundException}; a missing group that may not be created makes the
 * service unavailable: the lines are held with one ERROR per interval until the group exists. Each batch is sorted by
 * timestamp and split at 24-hour spans ({@link LogBatches}); throttling, 5xx and network errors leave the chunk to
 * retry; a request refused as a whole (4xx) is split to isolate the bad event, which is dead-lettered, and so are the
 * events the service reports in {@code rejectedLogEventsInfo}. Legacy sequence tokens: an
 * {@code InvalidSequenceTokenException} is answered at once with the expected token, a
 * {@code DataAlreadyAcceptedException} counts as delivered.
 */
final class CloudWatchLogsSinkWriter<InputT> extends RetryingAwsWriter<InputT, LogLine> {
    private static final Logger LOG = LoggerFactory.getLogger(CloudWatchLogsSinkWriter.class);
    /** Immediate repeats within one attempt for a stale sequence token or a stream deleted meanwhile. */
    private static final int IMMEDIATE_REPEATS = 3;

    private final CloudWatchLogsClient client;
    private final String logGroup;
    private final String logStream;
    private final boolean createLogGroup;
    private final Object streamLock = new Object();
    private volatile boolean streamReady;
    private volatile String sequenceToken;

    CloudWatchLogsSinkWriter(ElementConverter<InputT, LogLine> converter, WriterInitContext context,
                             AsyncSinkWriterConfiguration config, Collection<BufferedRequestState<LogLine>> states,
                             HeldEntries<LogLine> held, AwsConnection connection, String logGroup, String logStream,
                             boolean createLogGroup, RetryPolicy retry, SinkDeadLetters deadLetters) {
        super(converter, context, config, states, held, retry, deadLetters, OnUnavailable.HOLD,
                "trailguard-cloudwatch", "logEvents", "CloudWatch Logs",
                SecurityHubSinkWriter.target(connection) + ", " + logGroup, "log events");
        this.client = AwsClients.cloudWatchLogsForSink(connection);
        this.logGroup = logGroup;
        this.logStream = logStream;
        this.createLogGroup = createLogGroup;
    }

    String logStream() {
        return logStream;
    }

    @Override
    protected long getSizeInBytes(LogLine line) {
        return line.sizeInBytes();
    }

    @Override
    protected void attempt(List<LogLine> batch, Attempt attempt) {
        for (List<LogLine> chunk : LogBatches.prepare(batch, System.currentTimeMillis())) {
            attemptChunk(chunk, attempt);
        }
    }

    private void attemptChunk(List<LogLine> events, Attempt attempt) {
        for (int repeat = 0; ; repeat++) {
            try {
                ensureStream();
                put(events, attempt);
                return;
            } catch (MissingLogGroupException e) {
                attempt.unavailable(events, new DeliveryFailure(DeliveryFailure.Kind.UNAVAILABLE,
                        "ResourceNotFoundException", e.getMessage()));
                return;
            } catch (ResourceNotFoundException e) {
                streamReady = false; // deleted or never created: create it and try again at once
                if (repeat >= IMMEDIATE_REPEATS) {
                    attempt.retry(events, DeliveryFailure.retryable(e));
                    return;
                }
            } catch (InvalidSequenceTokenException e) {
                sequenceToken = e.expectedSequenceToken();
                if (repeat >= IMMEDIATE_REPEATS) {
                    attempt.retry(events, DeliveryFailure.retryable(e));
                    return;
                }
            } catch (DataAlreadyAcceptedException e) {
                sequenceToken = e.expectedSequenceToken();
                attempt.delivered(events.size());
                return;
            } catch (RuntimeException e) {
                switch (AwsErrors.classify(e)) {
                    case FATAL:
                        throw new FatalSinkException("CloudWatch Logs refused the credentials ("
                                + AwsErrors.errorCode(e) + ": " + AwsErrors.message(e) + ")", e);
                    case UNAVAILABLE:
                        attempt.unavailable(events, DeliveryFailure.unavailable(e));
                        return;
                    case REJECTED:
                        if (events.size() > 1) {
                            int half = events.size() / 2;
                            LOG.warn("CloudWatch Logs refused a batch of {} events ({}: {}); splitting it",
                                    events.size(), AwsErrors.errorCode(e), AwsErrors.message(e));
                            attemptChunk(new ArrayList<>(events.subList(0, half)), attempt);
                            attemptChunk(new ArrayList<>(events.subList(half, events.size())), attempt);
                        } else {
                            attempt.deadLetterAll(events, AwsErrors.errorCode(e), AwsErrors.message(e));
                        }
                        return;
                    default:
                        LOG.debug("PutLogEvents failed: {}", AwsErrors.errorCode(e), e);
                        attempt.retry(events, DeliveryFailure.retryable(e));
                        return;
                }
            }
        }
    }

    private void put(List<LogLine> events, Attempt attempt) {
        List<InputLogEvent> input = new ArrayList<>(events.size());
        for (LogLine l : events) {
            input.add(InputLogEvent.builder().timestamp(l.timestamp()).message(l.message()).build());
        }
        PutLogEventsRequest.Builder req = PutLogEventsRequest.builder()
                .logGroupName(logGroup).logStreamName(logStream).logEvents(input);
        String token = sequenceToken;
        if (token != null) {
            req.sequenceToken(token);
        }
        PutLogEventsResponse response = client.putLogEvents(req.build());
        sequenceToken = response.nextSequenceToken();
        int rejected = handleRejected(events, response.rejectedLogEventsInfo(), attempt);
        attempt.delivered(events.size() - rejected);
    }

    /** Dead-letters the events the service reports as too old, too new or expired; returns how many. */
    private int handleRejected(List<LogLine> events, RejectedLogEventsInfo info, Attempt attempt) {
        if (info == null) {
            return 0;
        }
        boolean[] bad = new boolean[events.size()];
        if (info.tooNewLogEventStartIndex() != null) {
            for (int i = Math.max(0, info.tooNewLogEventStartIndex()); i < events.size(); i++) {
                bad[i] = true;
            }
        }
        if (info.tooOldLogEventEndIndex() != null) {
            for (int i = 0; i < Math.min(events.size(), info.tooOldLogEventEndIndex()); i++) {
                bad[i] = true;
            }
        }
        if (info.expiredLogEventEndIndex() != null) {
            for (int i = 0; i < Math.min(events.size(), info.expiredLogEventEndIndex()); i++) {
                bad[i] = true;
            }
        }
        List<LogLine> rejected = new ArrayList<>();
        for (int i = 0; i < bad.length; i++) {
            if (bad[i]) {
                rejected.add(events.get(i));
            }
        }
        if (!rejected.isEmpty()) {
            attempt.deadLetterAll(rejected, "RejectedLogEvents", "outside the accepted time range or retention: "
                    + info);
        }
        return rejected.size();
    }

    private void ensureStream() {
        if (streamReady) {
            return;
        }
        synchronized (streamLock) {
            if (streamReady) {
                return;
            }
            try {
                createStream();
            } catch (ResourceNotFoundException e) {
                if (!createLogGroup) {
                    throw new MissingLogGroupException("log group " + logGroup + " does not exist and "
                            + "cloudwatch.create_log_group=false");
                }
                try {
                    client.createLogGroup(b -> b.logGroupName(logGroup));
                    LOG.info("created log group {}", logGroup);
                } catch (ResourceAlreadyExistsException ignored) {
                    // created meanwhile
                }
                createStream();
            }
            sequenceToken = null;
            streamReady = true;
        }
    }

    private void createStream() {
        try {
            client.createLogStream(b -> b.logGroupName(logGroup).logStreamName(logStream));
            LOG.info("created log stream {} in {}", logStream, logGroup);
        } catch (ResourceAlreadyExistsException ignored) {
            // a restarted writer reuses its stream
        }
    }

    @Override
    protected DeadLetter deadLetter(LogLine l, String code, String error, int attempts, long now) {
        return DeadLetter.undelivered(new DeadLetter.Delivery(SinkDeadLetters.CLOUDWATCH, logGroup + ":" + logStream,
                code, error, attempts, now, "record", l.message()));
    }

    @Override
    protected String unavailableText(DeliveryFailure f, LogLine sample) {
        return "CloudWatch Logs refuses log group " + logGroup + " (missing group or permission): log events are "
                + "held; create the group (or set cloudwatch.create_log_group=true) and grant logs:CreateLogStream "
                + "and logs:PutLogEvents on it";
    }

    /** The group is missing and may not be created. */
    private static final class MissingLogGroupException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingLogGroupException(String message) {
            super(message);
        }
    }

    @Override
    protected void closeClient() {
        client.close();
    }
}

package io.trailguard.job.sink.aws;

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
 * Writes batches of JSON lines to one log stream per subtask with {@code PutLogEvents}. The stream (and, when
 * allowed, the group) is created on first use and again after a {@code ResourceNotFoundException}. Each batch is
 * sorted by timestamp and split at 24-hour spans ({@link LogBatches}); throttling, 5xx and network errors are retried
 * with backoff; a request refused as a whole (4xx) is split to isolate the bad event; events the service reports in
 * {@code rejectedLogEventsInfo} and events still failing after the budget are dead-lettered. The legacy sequence-token
 * errors are handled: {@code InvalidSequenceTokenException} retries with the expected token,
 * {@code DataAlreadyAcceptedException} counts as delivered.
 */
final class CloudWatchLogsSinkWriter<InputT> extends RetryingAwsWriter<InputT, LogLine> {
    private static final Logger LOG = LoggerFactory.getLogger(CloudWatchLogsSinkWriter.class);

    private final CloudWatchLogsClient client;
    private final String logGroup;
    private final String logStream;
    private final boolean createLogGroup;
    private final Object streamLock = new Object();
    private volatile boolean streamReady;
    private volatile String sequenceToken;

    CloudWatchLogsSinkWriter(ElementConverter<InputT, LogLine> converter, WriterInitContext context,
                             AsyncSinkWriterConfiguration config, Collection<BufferedRequestState<LogLine>> states,
                             AwsConnection connection, String logGroup, String logStream, boolean createLogGroup,
                             RetryPolicy retry, SinkDeadLetters deadLetters) {
        super(converter, context, config, states, retry, deadLetters, "trailguard-cloudwatch", "logEvents");
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
    protected void deliver(List<LogLine> batch) throws InterruptedException {
        for (List<LogLine> chunk : LogBatches.prepare(batch, System.currentTimeMillis())) {
            deliver(chunk, 1);
        }
    }

    private void deliver(List<LogLine> events, int firstAttempt) throws InterruptedException {
        String lastCode = null;
        String lastError = null;
        for (int attempt = firstAttempt; ; attempt++) {
            boolean wait = true;
            try {
                ensureStream();
                put(events);
                return;
            } catch (ResourceNotFoundException e) {
                streamReady = false; // deleted or never created: create it and try again at once
                wait = false;
                lastCode = AwsErrors.errorCode(e);
                lastError = AwsErrors.message(e);
            } catch (InvalidSequenceTokenException e) {
                sequenceToken = e.expectedSequenceToken();
                wait = false;
                lastCode = AwsErrors.errorCode(e);
                lastError = AwsErrors.message(e);
            } catch (DataAlreadyAcceptedException e) {
                sequenceToken = e.expectedSequenceToken();
                delivered.inc(events.size());
                return;
            } catch (FatalSinkException e) {
                throw e;
            } catch (RuntimeException e) {
                AwsErrors.Kind kind = AwsErrors.classify(e);
                if (kind == AwsErrors.Kind.FATAL) {
                    throw new FatalSinkException("CloudWatch Logs refused the credentials or permission ("
                            + AwsErrors.errorCode(e) + ": " + AwsErrors.message(e) + ")", e);
                }
                if (kind == AwsErrors.Kind.REJECTED) {
                    if (events.size() > 1) {
                        int half = events.size() / 2;
                        LOG.warn("CloudWatch Logs refused a batch of {} events ({}: {}); splitting it", events.size(),
                                AwsErrors.errorCode(e), AwsErrors.message(e));
                        deliver(new ArrayList<>(events.subList(0, half)), attempt);
                        deliver(new ArrayList<>(events.subList(half, events.size())), attempt);
                        return;
                    }
                    deadLetterAll(events, AwsErrors.errorCode(e), AwsErrors.message(e), attempt);
                    return;
                }
                lastCode = AwsErrors.errorCode(e);
                lastError = AwsErrors.message(e);
                LOG.debug("PutLogEvents attempt {} failed: {}", attempt, lastCode, e);
            }
            if (attempt >= retry.maxAttempts()) {
                deadLetterAll(events, lastCode, lastError, attempt);
                return;
            }
            if (wait) {
                LOG.info("retrying {} log events after {} (attempt {} of {})", events.size(), lastCode, attempt,
                        retry.maxAttempts());
                backoff(attempt, events.size());
            } else {
                retried.inc(events.size());
            }
        }
    }

    private void put(List<LogLine> events) {
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
        int rejected = handleRejected(events, response.rejectedLogEventsInfo());
        delivered.inc(events.size() - rejected);
    }

    /** Dead-letters the events the service reports as too old, too new or expired; returns how many. */
    private int handleRejected(List<LogLine> events, RejectedLogEventsInfo info) {
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
            deadLetterAll(rejected, "RejectedLogEvents", "outside the accepted time range or retention: "
                    + info, 1);
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
                    throw new FatalSinkException("CloudWatch Logs group " + logGroup + " does not exist and "
                            + "creating it is disabled", e);
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

    private void deadLetterAll(List<LogLine> events, String code, String error, int attempts) {
        LOG.warn("dead-lettering {} log events for {}/{} after {} attempts: {}: {}", events.size(), logGroup,
                logStream, attempts, code, error);
        long now = System.currentTimeMillis();
        for (LogLine l : events) {
            deadLetter(new DeadLetterRecord(DeadLetterRecord.CLOUDWATCH, logGroup + ":" + logStream, code, error,
                    attempts, now, l.message()));
        }
    }

    @Override
    protected void closeClient() {
        client.close();
    }
}

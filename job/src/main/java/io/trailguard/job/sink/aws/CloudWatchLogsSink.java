package io.trailguard.job.sink.aws;

import io.trailguard.job.config.ConfigKey;
import io.trailguard.job.aws.AwsConnection;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.function.SerializableFunction;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.regex.Pattern;

/**
 * Flink sink that writes one JSON line per element (an alert line of the replay contract, or a rule-status line) to a
 * CloudWatch Logs group, one stream per job and subtask ({@code PREFIX/JOB_ID/SUBTASK}) so writers never collide.
 * Built on {@link AsyncSinkBase} like the Kinesis sink (buffering, in-flight limits, backpressure, flush and buffered
 * state on checkpoint: at-least-once). Batches respect the PutLogEvents limits: at most 10,000 events and 1,048,576
 * bytes counting 26 bytes per event, chronological order, at most 24 hours per request. A line longer than
 * {@link #DEFAULT_MAX_EVENT_BYTES} is cut to fit and stays valid JSON ({@link JsonLineFitter}). The event timestamp
 * is the time the sink received the line (alert lines carry their own event time), so replays of old CloudTrail logs
 * are not rejected as too old.
 */
public final class CloudWatchLogsSink<InputT> extends AsyncSinkBase<InputT, LogLine> {
    private static final long serialVersionUID = 1L;

    public static final int MAX_EVENTS_PER_BATCH = 10_000;
    public static final long MAX_BATCH_BYTES = 1_048_576;
    /** Largest event, overhead included (the service now allows 1 MB; 256 KiB is the long-standing limit). */
    public static final int DEFAULT_MAX_EVENT_BYTES = 256 * 1024;
    public static final long DEFAULT_FLUSH_MS = ConfigKey.CLOUDWATCH_FLUSH.defaultDuration().toMillis();
    public static final int DEFAULT_MAX_IN_FLIGHT = 4;
    public static final int DEFAULT_MAX_BUFFERED = 20_000;
    public static final String DEFAULT_STREAM_PREFIX = ConfigKey.CLOUDWATCH_LOG_STREAM_PREFIX.defaultValue();

    private static final Pattern LOG_GROUP = Pattern.compile("[.\\-_/#A-Za-z0-9]{1,512}");

    private final AwsConnection connection;
    private final String logGroup;
    private final String streamPrefix;
    private final boolean createLogGroup;
    private final RetryPolicy retry;
    private final SinkDeadLetters deadLetters;
    private final SerializableFunction<InputT, String> formatter;
    private final int maxMessageBytes;

    private CloudWatchLogsSink(Builder<InputT> b) {
        super(new LineConverter<>(b.formatter, b.maxEventBytes - LogLine.EVENT_OVERHEAD_BYTES), b.maxBatchSize,
                b.maxInFlightRequests, b.maxBufferedRequests, b.maxBatchBytes, b.maxTimeInBufferMs, b.maxEventBytes,
                Long.MAX_VALUE / 4, false);
        this.connection = b.connection;
        this.logGroup = b.logGroup;
        this.streamPrefix = b.streamPrefix;
        this.createLogGroup = b.createLogGroup;
        this.retry = b.retry;
        this.deadLetters = b.deadLetters;
        this.formatter = b.formatter;
        this.maxMessageBytes = b.maxEventBytes - LogLine.EVENT_OVERHEAD_BYTES;
    }

    /** A builder for elements written as {@code formatter(element)} (one JSON line each). */
    public static <T> Builder<T> builder(SerializableFunction<T, String> formatter) {
        return new Builder<>(formatter);
    }

    /** A builder for JSON lines (alert lines, rule-status lines). */
    public static Builder<String> forJsonLines() {
        return new Builder<>(line -> line);
    }

    /** A builder for alerts, written as their JSON line ({@link Alert#toJson()}). */
    public static Builder<Alert> forAlerts() {
        return new Builder<>(Alert::toJson);
    }

    /**
     * The sink for JSON lines from plain configuration values (null or blank for defaults).
     *
     * @param region         {@code aws.region}; null: SDK default chain (us-east-1 with an endpoint)
     * @param endpoint       {@code aws.endpoint}: endpoint override URL
     * @param logGroup       {@code cloudwatch:LOG_GROUP} (required)
     * @param streamPrefix   {@code cloudwatch.log_stream_prefix}; null: {@value #DEFAULT_STREAM_PREFIX}
     * @param createLogGroup {@code cloudwatch.create_log_group}
     * @param flushMillis    {@code cloudwatch.flush}; 0 or less: 1 s
     * @param retry          {@code sink.retry.*}
     * @param deadLetters    {@code sink.dead_letter}
     */
    public static CloudWatchLogsSink<String> fromConfig(String region, String endpoint, String logGroup,
                                                        String streamPrefix, boolean createLogGroup,
                                                        long flushMillis, RetryPolicy retry,
                                                        SinkDeadLetters deadLetters) {
        Builder<String> b = forJsonLines().connection(AwsConnection.of(region, endpoint))
                .logGroup(logGroup)
                .createLogGroup(createLogGroup)
                .retryPolicy(retry)
                .deadLetters(deadLetters);
        if (streamPrefix != null && !streamPrefix.trim().isEmpty()) {
            b.logStreamPrefix(streamPrefix.trim());
        }
        if (flushMillis > 0) {
            b.maxTimeInBuffer(Duration.ofMillis(flushMillis));
        }
        return b.build();
    }

    public String logGroup() {
        return logGroup;
    }

    public AwsConnection connection() {
        return connection;
    }

    /** The stream of one subtask: {@code PREFIX/JOB_ID/SUBTASK}. */
    public String logStreamName(String jobId, int subtask) {
        String name = streamPrefix + "/" + jobId + "/" + subtask;
        return name.replace(':', '_').replace('*', '_');
    }

    @Override
    public StatefulSinkWriter<InputT, BufferedRequestState<LogLine>> createWriter(Sink.InitContext context) {
        throw new UnsupportedOperationException("CloudWatchLogsSink needs Flink 1.19+ (createWriter(WriterInitContext))");
    }

    @Override
    public StatefulSinkWriter<InputT, BufferedRequestState<LogLine>> createWriter(WriterInitContext context) {
        return restoreWriter(context, Collections.emptyList());
    }

    @Override
    public StatefulSinkWriter<InputT, BufferedRequestState<LogLine>> restoreWriter(
            WriterInitContext context, Collection<BufferedRequestState<LogLine>> state) {
        HeldEntries<LogLine> held = new HeldEntries<>(getMaxBufferedRequests());
        AsyncSinkWriterConfiguration config = RetryingAwsWriter.configuration(getMaxBatchSize(),
                getMaxBatchSizeInBytes(), getMaxInFlightRequests(), getMaxBufferedRequests(), getMaxTimeInBufferMS(),
                getMaxRecordSizeInBytes(), held);
        String stream = logStreamName(context.getJobInfo().getJobId().toHexString(),
                context.getTaskInfo().getIndexOfThisSubtask());
        return new CloudWatchLogsSinkWriter<>(new LineConverter<>(formatter, maxMessageBytes), context, config, state,
                held, connection, logGroup, stream, createLogGroup, retry, deadLetters);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<LogLine>> getWriterStateSerializer() {
        return new LogLineStateSerializer();
    }

    /** Element to a log event stamped with the current time, its message cut to fit. */
    static final class LineConverter<T> implements ElementConverter<T, LogLine> {
        private static final long serialVersionUID = 1L;
        private final SerializableFunction<T, String> formatter;
        private final int maxMessageBytes;

        LineConverter(SerializableFunction<T, String> formatter, int maxMessageBytes) {
            this.formatter = formatter;
            this.maxMessageBytes = maxMessageBytes;
        }

        @Override
        public LogLine apply(T element, SinkWriter.Context context) {
            String line = JsonLineFitter.fit(formatter.apply(element), maxMessageBytes);
            return new LogLine(System.currentTimeMillis(), line);
        }
    }

    /** Builder; {@link #logGroup} is required. */
    public static final class Builder<T> {
        private final SerializableFunction<T, String> formatter;
        private AwsConnection connection = AwsConnection.of(null, null);
        private String logGroup;
        private String streamPrefix = DEFAULT_STREAM_PREFIX;
        private boolean createLogGroup = true;
        private int maxBatchSize = MAX_EVENTS_PER_BATCH;
        private long maxBatchBytes = MAX_BATCH_BYTES;
        private int maxEventBytes = DEFAULT_MAX_EVENT_BYTES;
        private long maxTimeInBufferMs = DEFAULT_FLUSH_MS;
        private int maxInFlightRequests = DEFAULT_MAX_IN_FLIGHT;
        private int maxBufferedRequests = DEFAULT_MAX_BUFFERED;
        private RetryPolicy retry = RetryPolicy.defaults();
        private SinkDeadLetters deadLetters = SinkDeadLetters.log();

        private Builder(SerializableFunction<T, String> formatter) {
            this.formatter = formatter;
        }

        public Builder<T> connection(AwsConnection c) {
            this.connection = c;
            return this;
        }

        public Builder<T> region(String region) {
            this.connection = AwsConnection.of(region, connection.endpoint())
                    .withTimeouts(connection.connectTimeout(), connection.attemptTimeout());
            return this;
        }

        public Builder<T> endpoint(String endpoint) {
            this.connection = AwsConnection.of(connection.region(), endpoint)
                    .withTimeouts(connection.connectTimeout(), connection.attemptTimeout());
            return this;
        }

        public Builder<T> logGroup(String group) {
            this.logGroup = group;
            return this;
        }

        /** Streams are named {@code PREFIX/JOB_ID/SUBTASK}. */
        public Builder<T> logStreamPrefix(String prefix) {
            this.streamPrefix = prefix;
            return this;
        }

        /** Create the group when it is missing (default true; needs logs:CreateLogGroup). */
        public Builder<T> createLogGroup(boolean create) {
            this.createLogGroup = create;
            return this;
        }

        public Builder<T> maxBatchSize(int events) {
            this.maxBatchSize = events;
            return this;
        }

        public Builder<T> maxBatchBytes(long bytes) {
            this.maxBatchBytes = bytes;
            return this;
        }

        /** Largest event, 26 bytes of overhead included (default 256 KiB, at most 1 MiB). */
        public Builder<T> maxEventBytes(int bytes) {
            this.maxEventBytes = bytes;
            return this;
        }

        public Builder<T> maxTimeInBuffer(Duration d) {
            this.maxTimeInBufferMs = d.toMillis();
            return this;
        }

        public Builder<T> maxInFlightRequests(int n) {
            this.maxInFlightRequests = n;
            return this;
        }

        public Builder<T> maxBufferedRequests(int n) {
            this.maxBufferedRequests = n;
            return this;
        }

        public Builder<T> retryPolicy(RetryPolicy policy) {
            this.retry = policy;
            return this;
        }

        public Builder<T> deadLetters(SinkDeadLetters handler) {
            this.deadLetters = handler;
            return this;
        }

        public CloudWatchLogsSink<T> build() {
            if (logGroup == null || !LOG_GROUP.matcher(logGroup).matches()) {
                throw new IllegalArgumentException("CloudWatch Logs group name must be 1-512 characters of "
                        + "[.-_/#A-Za-z0-9], got '" + logGroup + "'");
            }
            if (streamPrefix == null || streamPrefix.isEmpty() || streamPrefix.length() > 400) {
                throw new IllegalArgumentException("log stream prefix must be 1-400 characters");
            }
            if (maxBatchSize < 1 || maxBatchSize > MAX_EVENTS_PER_BATCH) {
                throw new IllegalArgumentException("maxBatchSize must be 1.." + MAX_EVENTS_PER_BATCH);
            }
            if (maxEventBytes < 1024 || maxEventBytes > 1_048_576) {
                throw new IllegalArgumentException("maxEventBytes must be 1024..1048576");
            }
            if (maxBatchBytes < maxEventBytes || maxBatchBytes > MAX_BATCH_BYTES) {
                throw new IllegalArgumentException("maxBatchBytes must be maxEventBytes.." + MAX_BATCH_BYTES);
            }
            if (maxTimeInBufferMs < 1 || maxInFlightRequests < 1 || maxBufferedRequests <= maxBatchSize) {
                throw new IllegalArgumentException("need maxTimeInBuffer > 0, maxInFlightRequests > 0 and "
                        + "maxBufferedRequests > maxBatchSize");
            }
            return new CloudWatchLogsSink<>(this);
        }
    }
}

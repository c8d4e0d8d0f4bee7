package io.trailguard.job.sink.aws;

import io.trailguard.job.config.ConfigKey;
import io.trailguard.job.aws.AwsConnection;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSink;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;

/**
 * Flink sink that imports each {@link Alert} into AWS Security Hub (CSPM) as an ASFF finding with
 * {@code BatchImportFindings}, built on {@link AsyncSinkBase} like Flink's Kinesis and Firehose sinks: buffering,
 * batching (at most 100 findings and {@link #DEFAULT_MAX_BATCH_BYTES} per call), a time-based flush
 * ({@link #DEFAULT_FLUSH_MS} ms by default), in-flight limits with backpressure, and a flush before every checkpoint,
 * with the buffer kept in checkpointed state. Delivery is at-least-once; finding ids are deterministic
 * ({@link FindingMapper#findingId}), so a repeated delivery re-imports the same finding. Retries (without limit by
 * default), holding, back-pressure and dead letters: see {@link RetryingAwsWriter}, {@link SecurityHubSinkWriter} and
 * {@link SinkDeadLetters}.
 */
public final class SecurityHubSink extends AsyncSinkBase<Alert, FindingEntry> {
    private static final long serialVersionUID = 1L;

    /** BatchImportFindings accepts at most 100 findings per call. */
    public static final int MAX_FINDINGS_PER_BATCH = 100;
    /** Default (and issue-mandated) request size bound: 240 KiB per call (the service allows 6 MB). */
    public static final long DEFAULT_MAX_BATCH_BYTES = 240 * 1024;
    /** Largest batch size the service accepts. */
    public static final long SERVICE_MAX_BATCH_BYTES = 6L * 1024 * 1024;
    /** {"Findings":[...]} around the findings. */
    static final int ENVELOPE_BYTES = 16;
    public static final long DEFAULT_FLUSH_MS = ConfigKey.SECURITYHUB_FLUSH.defaultDuration().toMillis();
    public static final int DEFAULT_MAX_IN_FLIGHT = 4;
    public static final int DEFAULT_MAX_BUFFERED = 10_000;

    private final AwsConnection connection;
    private final FindingMapper mapper;
    private final RetryPolicy retry;
    private final SinkDeadLetters deadLetters;
    private final OnUnavailable onUnavailable;

    private SecurityHubSink(Builder b, FindingMapper mapper, long maxEntryBytes) {
        super(new FindingConverter(mapper), b.maxBatchSize, b.maxInFlightRequests, b.maxBufferedRequests,
                maxEntryBytes, b.maxTimeInBufferMs, maxEntryBytes, Long.MAX_VALUE / 4, false);
        this.connection = b.connection;
        this.mapper = mapper;
        this.retry = b.retry;
        this.deadLetters = b.deadLetters;
        this.onUnavailable = b.onUnavailable;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The sink from plain configuration values (each may be null for its default).
     *
     * @param connection  region ({@code aws.region}; null: the SDK default chain, or us-east-1 with an endpoint),
     *                    endpoint override ({@code aws.endpoint}) and profile ({@code aws.profile})
     * @param productArn  ProductArn or template with {@code {partition}}, {@code {region}}, {@code {account}}
     *                    ({@code securityhub.product_arn}); null: the account's default product
     * @param accountId   AwsAccountId for every finding ({@code securityhub.account_id}); null: the event's account
     * @param flushMillis longest time a finding waits in the buffer ({@code securityhub.flush}); 0 or less: 1 s
     * @param retry       {@code sink.retry.*}
     * @param deadLetters {@code sink.dead_letter}
     * @param onUnavailable {@code securityhub.on_unavailable}
     */
    public static SecurityHubSink fromConfig(AwsConnection connection, String productArn, String accountId,
                                             long flushMillis, RetryPolicy retry, SinkDeadLetters deadLetters,
                                             OnUnavailable onUnavailable) {
        Builder b = builder().connection(connection)
                .productArn(productArn)
                .accountId(accountId)
                .retryPolicy(retry)
                .deadLetters(deadLetters)
                .onUnavailable(onUnavailable);
        if (flushMillis > 0) {
            b.maxTimeInBuffer(Duration.ofMillis(flushMillis));
        }
        return b.build();
    }

    public AwsConnection connection() {
        return connection;
    }

    public FindingMapper mapper() {
        return mapper;
    }

    public RetryPolicy retryPolicy() {
        return retry;
    }

    /** Writers use {@link #createWriter(WriterInitContext)}; this pre-1.19 entry point is not supported. */
    @Override
    public StatefulSinkWriter<Alert, BufferedRequestState<FindingEntry>> createWriter(Sink.InitContext context) {
        throw new UnsupportedOperationException("SecurityHubSink needs Flink 1.19+ (createWriter(WriterInitContext))");
    }

    @Override
    public StatefulSinkWriter<Alert, BufferedRequestState<FindingEntry>> createWriter(WriterInitContext context) {
        return restoreWriter(context, Collections.emptyList());
    }

    @Override
    public StatefulSinkWriter<Alert, BufferedRequestState<FindingEntry>> restoreWriter(
            WriterInitContext context, Collection<BufferedRequestState<FindingEntry>> state) {
        FindingMapper regional = mapper.withRegion(connection.resolveRegion());
        HeldEntries<FindingEntry> held = new HeldEntries<>(getMaxBufferedRequests());
        AsyncSinkWriterConfiguration config = RetryingAwsWriter.configuration(getMaxBatchSize(),
                getMaxBatchSizeInBytes(), getMaxInFlightRequests(), getMaxBufferedRequests(), getMaxTimeInBufferMS(),
                getMaxRecordSizeInBytes(), held);
        return new SecurityHubSinkWriter(new FindingConverter(regional), context, config, state, held, regional,
                connection, retry, deadLetters, onUnavailable);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<FindingEntry>> getWriterStateSerializer() {
        return new FindingEntryStateSerializer();
    }

    /**
     * Alert to buffered finding entry, with the alert's finding times (stamped by the pipeline's finding-times
     * stage); an alert without them (the sink used outside the pipeline) is a new finding now.
     */
    static final class FindingConverter implements ElementConverter<Alert, FindingEntry> {
        private static final long serialVersionUID = 1L;
        private final FindingMapper mapper;

        FindingConverter(FindingMapper mapper) {
            this.mapper = mapper;
        }

        @Override
        public FindingEntry apply(Alert alert, SinkWriter.Context context) {
            return FindingEntry.of(alert, mapper, FindingStamps.of(alert));
        }
    }

    /** Builder; every setting has a default except nothing: {@code SecurityHubSink.builder().build()} works. */
    public static final class Builder {
        private AwsConnection connection = AwsConnection.of(null, null);
        private String productArn;
        private String accountId;
        private String fallbackAccountId;
        private int maxBatchSize = MAX_FINDINGS_PER_BATCH;
        private long maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
        private int maxFindingBytes = FindingMapper.DEFAULT_MAX_FINDING_BYTES;
        private long maxTimeInBufferMs = DEFAULT_FLUSH_MS;
        private int maxInFlightRequests = DEFAULT_MAX_IN_FLIGHT;
        private int maxBufferedRequests = DEFAULT_MAX_BUFFERED;
        private RetryPolicy retry = RetryPolicy.defaults();
        private SinkDeadLetters deadLetters = SinkDeadLetters.log();
        private OnUnavailable onUnavailable = OnUnavailable.HOLD;

        private Builder() {
        }

        public Builder connection(AwsConnection c) {
            this.connection = c;
            return this;
        }

        public Builder region(String region) {
            this.connection = connection.withRegion(region);
            return this;
        }

        public Builder endpoint(String endpoint) {
            this.connection = connection.withEndpoint(endpoint);
            return this;
        }

        /** ProductArn or template ({@code {partition}}, {@code {region}}, {@code {account}}); null: default. */
        public Builder productArn(String productArn) {
            this.productArn = productArn;
            return this;
        }

        /** AwsAccountId for every finding instead of the event's account; null: the event's account. */
        public Builder accountId(String accountId) {
            this.accountId = accountId;
            return this;
        }

        /** AwsAccountId for alerts without a valid account. */
        public Builder fallbackAccountId(String accountId) {
            this.fallbackAccountId = accountId;
            return this;
        }

        public Builder maxBatchSize(int findings) {
            this.maxBatchSize = findings;
            return this;
        }

        /** Bound of one request body (default 240 KiB; at most 6 MB). */
        public Builder maxBatchBytes(long bytes) {
            this.maxBatchBytes = bytes;
            return this;
        }

        /** Bound of one finding's JSON (default 200 KiB; at most 240 KiB and the batch bound). */
        public Builder maxFindingBytes(int bytes) {
            this.maxFindingBytes = bytes;
            return this;
        }

        public Builder maxTimeInBuffer(Duration d) {
            this.maxTimeInBufferMs = d.toMillis();
            return this;
        }

        public Builder maxInFlightRequests(int n) {
            this.maxInFlightRequests = n;
            return this;
        }

        public Builder maxBufferedRequests(int n) {
            this.maxBufferedRequests = n;
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retry = policy;
            return this;
        }

        public Builder deadLetters(SinkDeadLetters handler) {
            this.deadLetters = handler;
            return this;
        }

        /** Security Hub not enabled / not subscribed / no permission: hold (default) or dead-letter the findings. */
        public Builder onUnavailable(OnUnavailable policy) {
            this.onUnavailable = policy;
            return this;
        }

        public SecurityHubSink build() {
            if (maxBatchSize < 1 || maxBatchSize > MAX_FINDINGS_PER_BATCH) {
                throw new IllegalArgumentException("maxBatchSize must be 1.." + MAX_FINDINGS_PER_BATCH);
            }
            if (maxBatchBytes < 64 * 1024 || maxBatchBytes > SERVICE_MAX_BATCH_BYTES) {
                throw new IllegalArgumentException("maxBatchBytes must be 65536.." + SERVICE_MAX_BATCH_BYTES);
            }
            if (maxTimeInBufferMs < 1 || maxInFlightRequests < 1 || maxBufferedRequests <= maxBatchSize) {
                throw new IllegalArgumentException("need maxTimeInBuffer > 0, maxInFlightRequests > 0 and "
                        + "maxBufferedRequests > maxBatchSize");
            }
            long maxEntryBytes = maxBatchBytes - ENVELOPE_BYTES;
            int findingBytes = (int) Math.min(Math.min(maxFindingBytes, 240 * 1024), maxEntryBytes - 1);
            FindingMapper mapper = new FindingMapper(productArn, null, accountId, fallbackAccountId, findingBytes);
            return new SecurityHubSink(this, mapper, maxEntryBytes);
        }
    }
}

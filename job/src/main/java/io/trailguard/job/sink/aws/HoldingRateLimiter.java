package io.trailguard.job.sink.aws;

import org.apache.flink.connector.base.sink.writer.strategy.AIMDScalingStrategy;
import org.apache.flink.connector.base.sink.writer.strategy.CongestionControlRateLimitingStrategy;
import org.apache.flink.connector.base.sink.writer.strategy.RateLimitingStrategy;
import org.apache.flink.connector.base.sink.writer.strategy.RequestInfo;
import org.apache.flink.connector.base.sink.writer.strategy.ResultInfo;

/**
 * The {@code AsyncSinkWriter}'s default rate limiting (in-flight requests and AIMD congestion control, as Flink builds
 * it) that also blocks new requests while {@link HeldEntries} is full. A blocked writer stops taking records: that is
 * the back-pressure that slows the job down to the Kinesis source during a long outage, with memory bounded by the
 * buffer plus the held entries.
 */
final class HoldingRateLimiter implements RateLimitingStrategy {
    private final RateLimitingStrategy delegate;
    private final HeldEntries<?> held;

    HoldingRateLimiter(int maxInFlightRequests, int maxBatchSize, HeldEntries<?> held) {
        this.delegate = CongestionControlRateLimitingStrategy.builder()
                .setMaxInFlightRequests(maxInFlightRequests)
                .setInitialMaxInFlightMessages(maxBatchSize)
                .setScalingStrategy(AIMDScalingStrategy.builder(maxBatchSize * maxInFlightRequests).build())
                .build();
        this.held = held;
    }

    @Override
    public void registerInFlightRequest(RequestInfo requestInfo) {
        delegate.registerInFlightRequest(requestInfo);
    }

    @Override
    public void registerCompletedRequest(ResultInfo resultInfo) {
        delegate.registerCompletedRequest(resultInfo);
    }

    @Override
    public boolean shouldBlock(RequestInfo requestInfo) {
        return held.isFull() || delegate.shouldBlock(requestInfo);
    }

    @Override
    public int getMaxBatchSize() {
        return delegate.getMaxBatchSize();
    }
}

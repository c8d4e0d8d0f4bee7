package io.trailguard.job.pipeline;

import io.trailguard.job.config.TrailguardConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code pipeline.buffer_timeout} reaches the job's environment; a bad value names the key. */
class BufferTimeoutTest {
    @Test
    void theJobsEnvironmentTakesTheConfiguredBufferTimeout() {
        assertThat(StreamingJob.environment(TrailguardConfig.empty()).getBufferTimeout()).isEqualTo(10);
        assertThat(StreamingJob.environment(TrailguardConfig.empty().with("pipeline.buffer_timeout", "250ms"))
                .getBufferTimeout()).isEqualTo(250);
        assertThat(StreamingJob.environment(TrailguardConfig.empty().with("pipeline.buffer_timeout", "0ms"))
                .getBufferTimeout()).isZero();
    }

    @Test
    void aBadValueNamesTheKey() {
        assertThatThrownBy(() -> TrailguardConfig.empty().with("pipeline.buffer_timeout", "soon").bufferTimeout())
                .hasMessageContaining("pipeline.buffer_timeout");
    }
}

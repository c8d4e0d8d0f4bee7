package io.trailguard.job.pipeline;

import io.trailguard.job.config.TrailguardConfig;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The job sets checkpointing only where nothing configured it; a cluster's checkpoint configuration stays. */
class LocalCheckpointingTest {
    private static final TrailguardConfig CONFIG = TrailguardConfig.empty().with("checkpoint.interval", "7s");

    @Test
    void aLocalEnvironmentCheckpointsAtTheConfiguredInterval() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        assertThat(LocalCheckpointing.enable(env, CONFIG)).isTrue();
        assertThat(env.getCheckpointConfig().getCheckpointInterval()).isEqualTo(7_000L);
    }

    /** A test's MiniCluster environment without checkpoint settings checkpoints at the job's interval. */
    @Test
    void anEnvironmentWithoutCheckpointSettingsCheckpointsAtTheConfiguredInterval() {
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(new Configuration());
        assertThat(LocalCheckpointing.enable(env, CONFIG)).isTrue();
        assertThat(env.getCheckpointConfig().getCheckpointInterval()).isEqualTo(7_000L);
    }

    /** As on Managed Flink: the application's checkpoint configuration arrives in the environment's configuration. */
    @Test
    void aClusterEnvironmentKeepsItsOwnCheckpointInterval() {
        Configuration cluster = new Configuration();
        cluster.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(90));
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(cluster);
        assertThat(LocalCheckpointing.enable(env, CONFIG)).isFalse();
        assertThat(env.getCheckpointConfig().getCheckpointInterval()).isEqualTo(90_000L);
    }
}

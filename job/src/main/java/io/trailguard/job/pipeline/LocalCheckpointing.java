package io.trailguard.job.pipeline;

import io.trailguard.job.config.TrailguardConfig;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Who decides checkpointing. When the environment already checkpoints, its configuration does: on Managed Flink the
 * application's checkpoint configuration (Terraform's {@code checkpoint_interval_ms}) is in the environment, and a
 * call here would override it with the job's default. Otherwise (a local MiniCluster for {@code run}, a test's
 * MiniCluster) the job does: exactly-once every {@code checkpoint.interval}.
 */
final class LocalCheckpointing {
    private LocalCheckpointing() {
    }

    /** Enables checkpointing on {@code env} unless its configuration already does; returns whether it did. */
    static boolean enable(StreamExecutionEnvironment env, TrailguardConfig config) {
        if (env.getCheckpointConfig().isCheckpointingEnabled()) {
            return false;
        }
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        return true;
    }
}

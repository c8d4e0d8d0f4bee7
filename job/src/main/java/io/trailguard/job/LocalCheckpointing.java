package io.trailguard.job;

import io.trailguard.job.config.TrailguardConfig;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Who decides checkpointing. In a local MiniCluster ({@code run}, the Kinesis tests) the job does: exactly-once every
 * {@code checkpoint.interval}. Inside a cluster (Managed Flink) the cluster does: the application's checkpoint
 * configuration (Terraform's {@code checkpoint_interval_ms}) is already in the environment, and a call here would
 * override it with the job's default.
 */
final class LocalCheckpointing {
    private LocalCheckpointing() {
    }

    /** Enables checkpointing on {@code env} when it is a local environment; returns whether it did. */
    static boolean enable(StreamExecutionEnvironment env, TrailguardConfig config) {
        if (!(env instanceof LocalStreamEnvironment)) {
            return false;
        }
        env.enableCheckpointing(config.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        return true;
    }
}

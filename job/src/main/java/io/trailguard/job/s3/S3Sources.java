package io.trailguard.job.s3;

import io.trailguard.job.config.ConfigKey;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.serde.RawRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The S3-notification events source of the streaming job, from the configuration. */
public final class S3Sources {
    private S3Sources() {
    }

    /** The source's settings; throws IllegalArgumentException naming the key of a bad value. */
    public static QueueSettings settings(TrailguardConfig config) {
        if (config.eventsQueue() == null) {
            return null;
        }
        TrailFilter filter;
        try {
            filter = new TrailFilter(config.eventsAccounts(), config.eventsRegions());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ConfigKey.EVENTS_ACCOUNTS.key() + " / "
                    + ConfigKey.EVENTS_REGIONS.key() + ": " + e.getMessage());
        }
        try {
            return new QueueSettings(config.eventsQueue(), config.region(), config.sqsEndpoint(), config.s3Endpoint(),
                    filter, config.duration(ConfigKey.EVENTS_QUEUE_VISIBILITY)).withProfile(config.profile());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ConfigKey.EVENTS_QUEUE_VISIBILITY.key() + ": " + e.getMessage());
        }
    }

    /**
     * The files announced on {@code events.queue} (uid {@code s3-events-source}), at the environment's parallelism.
     * No watermarks: the pipeline makes event time per shard from the events ({@code ShardEventTime}).
     */
    public static DataStream<RawRecord> events(StreamExecutionEnvironment env, TrailguardConfig config) {
        QueueSettings settings = settings(config);
        return env.fromSource(new SqsObjectSource(settings), WatermarkStrategy.noWatermarks(),
                        "S3 files from " + settings.queue(), TypeInformation.of(RawRecord.class))
                .uid("s3-events-source");
    }
}

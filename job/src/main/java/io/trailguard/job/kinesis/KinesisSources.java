package io.trailguard.job.kinesis;

import io.trailguard.job.aws.AwsConnection;
import io.trailguard.job.aws.AwsCredentialPolicy;
import io.trailguard.job.config.StreamRef;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.serde.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer;
import org.apache.flink.streaming.connectors.kinesis.config.AWSConfigConstants;
import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;

import java.util.Map;
import java.util.Properties;

/**
 * The job's two Kinesis sources, both the legacy {@link FlinkKinesisConsumer} (polling; its positions are
 * checkpointed, so a restored job resumes where it stopped and the initial positions apply to new shards only).
 */
public final class KinesisSources {
    private KinesisSources() {
    }

    /** The events stream (uid {@code events-source}), at the environment's parallelism. */
    public static DataStream<RawRecord> events(StreamExecutionEnvironment env, TrailguardConfig config) {
        StreamRef stream = config.eventsStream();
        Properties p = consumerProperties(config, config.eventsInitialPosition());
        if (config.eventsInitialPosition().equals("AT_TIMESTAMP")) {
            p.setProperty(ConsumerConfigConstants.STREAM_INITIAL_TIMESTAMP,
                    String.valueOf(config.eventsInitialTimestamp().toEpochMilli() / 1000.0));
        }
        return env.addSource(new FlinkKinesisConsumer<>(stream.name(), new RawRecordSchema(), p),
                        "Kinesis events " + stream.name(), TypeInformation.of(RawRecord.class))
                .name("Kinesis events " + stream.name()).uid("events-source");
    }

    /**
     * The control stream (uid {@code control-source}), parallelism 1; it waits for a missing stream instead of
     * failing the job ({@link ControlStreamConsumer}).
     */
    public static DataStream<RawRecord> control(StreamExecutionEnvironment env, TrailguardConfig config) {
        StreamRef stream = config.controlStream();
        Properties p = consumerProperties(config, config.controlInitialPosition());
        return env.addSource(new ControlStreamConsumer(stream.name(), p, AwsConnection.kinesis(config)),
                        "Kinesis control " + stream.name(), TypeInformation.of(RawRecord.class))
                .setParallelism(1).name("Kinesis control " + stream.name()).uid("control-source");
    }

    /**
     * Region, endpoint, credentials, initial position and the {@code kinesis.*} pass-through keys. Region, endpoint
     * and credentials follow {@link AwsCredentialPolicy} as every other client does: a named profile becomes the
     * connector's {@code PROFILE} provider with that name (and the shared credentials file the SDK v2 clients read,
     * since the connector's SDK reads that file only); the default chain its {@code AUTO} provider; a local server
     * without credentials the dummy keys ({@code BASIC}).
     */
    static Properties consumerProperties(TrailguardConfig config, String initialPosition) {
        AwsConnection c = AwsConnection.kinesis(config);
        Properties p = new Properties();
        p.setProperty(AWSConfigConstants.AWS_REGION, c.resolveRegion());
        if (c.endpoint() != null) {
            p.setProperty(AWSConfigConstants.AWS_ENDPOINT, c.endpoint());
        }
        String provider = AWSConfigConstants.AWS_CREDENTIALS_PROVIDER;
        switch (AwsCredentialPolicy.source(c)) {
            case NAMED_PROFILE:
                p.setProperty(provider, "PROFILE");
                p.setProperty(AWSConfigConstants.profileName(provider), c.profile());
                AwsCredentialPolicy.credentialsFile().ifPresent(f ->
                        p.setProperty(AWSConfigConstants.profilePath(provider), f.toString()));
                break;
            case LOCAL_KEYS:
                p.setProperty(provider, "BASIC");
                p.setProperty(AWSConfigConstants.accessKeyId(provider), AwsCredentialPolicy.LOCAL_ACCESS_KEY);
                p.setProperty(AWSConfigConstants.secretKey(provider), AwsCredentialPolicy.LOCAL_ACCESS_KEY);
                break;
            default:
                p.setProperty(provider, "AUTO");
        }
        p.setProperty(ConsumerConfigConstants.STREAM_INITIAL_POSITION, initialPosition);
        for (Map.Entry<String, String> e : config.kinesisProperties().entrySet()) {
            p.setProperty(e.getKey(), e.getValue());
        }
        return p;
    }
}

package io.trailguard.job.kinesis;

import io.trailguard.job.aws.AwsClients;
import io.trailguard.job.aws.AwsConnection;
import io.trailguard.job.serde.RawRecord;
import org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

import java.util.Properties;

/**
 * The control-stream source: Flink's Kinesis consumer, which first waits for its stream to exist and answer. A
 * missing or unreachable control stream must not stop detection (the broadcast joins this source to the events, so
 * a failing source would restart the whole job): until the stream answers, this source emits nothing, says so at
 * WARN once a minute, and the job evaluates events with the rules it has (its last accepted bundle from state, or
 * the start-up rules). Then it reads the stream as usual, from its checkpointed positions or its initial position.
 */
final class ControlStreamConsumer extends FlinkKinesisConsumer<RawRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ControlStreamConsumer.class);
    static final long RECHECK_MILLIS = 5_000;
    static final long WARN_EVERY_MILLIS = 60_000;

    private final String stream;
    private final AwsConnection connection;
    private volatile boolean waiting = true;

    ControlStreamConsumer(String stream, Properties properties, AwsConnection connection) {
        super(stream, new RawRecordSchema(), properties);
        this.stream = stream;
        this.connection = connection;
    }

    @Override
    public void run(SourceContext<RawRecord> ctx) throws Exception {
        if (!awaitStream()) {
            return; // cancelled while waiting
        }
        super.run(ctx);
    }

    /** True once the stream answers; false when the source was cancelled first. */
    private boolean awaitStream() throws InterruptedException {
        long lastWarning = 0;
        try (KinesisClient kinesis = AwsClients.kinesis(connection)) {
            while (waiting) {
                String problem;
                try {
                    kinesis.describeStreamSummary(b -> b.streamName(stream));
                    if (lastWarning != 0) {
                        LOG.info("control stream {} is available: reading rule bundles from it", stream);
                    }
                    return true;
                } catch (ResourceNotFoundException e) {
                    problem = "does not exist";
                } catch (SdkException e) {
                    problem = "cannot be read (" + e.getClass().getSimpleName() + ")";
                }
                long now = System.currentTimeMillis();
                if (now - lastWarning >= WARN_EVERY_MILLIS) {
                    LOG.warn("control stream {} {}: the job keeps running with the rules it has and checks again "
                            + "every {} s", stream, problem, RECHECK_MILLIS / 1000);
                    lastWarning = now;
                }
                Thread.sleep(RECHECK_MILLIS);
            }
        }
        return false;
    }

    @Override
    public void cancel() {
        waiting = false;
        super.cancel();
    }
}

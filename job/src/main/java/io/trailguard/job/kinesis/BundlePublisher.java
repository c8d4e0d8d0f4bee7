package io.trailguard.job.kinesis;

import io.trailguard.job.bundle.ControlMessage;
import io.trailguard.job.bundle.RuleBundle;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;

import java.util.List;

/** Writes a rule bundle to the control stream: one record, or ordered chunks when it exceeds a record. */
public final class BundlePublisher {
    /** Every control record uses this partition key, so a bundle's chunks stay on one shard and in order. */
    public static final String PARTITION_KEY = "trailguard-rules";

    private BundlePublisher() {
    }

    /** Puts the bundle; returns the number of records written. */
    public static int publish(KinesisClient client, String stream, RuleBundle bundle) {
        List<byte[]> records = ControlMessage.encode(bundle, ControlMessage.MAX_RECORD_BYTES);
        String previous = null;
        for (byte[] data : records) {
            PutRecordRequest.Builder b = PutRecordRequest.builder().streamName(stream).partitionKey(PARTITION_KEY)
                    .data(SdkBytes.fromByteArray(data));
            if (previous != null) {
                b.sequenceNumberForOrdering(previous);
            }
            PutRecordResponse r = client.putRecord(b.build());
            previous = r.sequenceNumber();
        }
        return records.size();
    }
}

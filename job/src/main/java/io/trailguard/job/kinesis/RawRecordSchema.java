package io.trailguard.job.kinesis;

import io.trailguard.job.serde.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema;

/** Kinesis records as {@link RawRecord}s with origin {@code shardId:sequenceNumber}; nothing is parsed here. */
public final class RawRecordSchema implements KinesisDeserializationSchema<RawRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public RawRecord deserialize(byte[] recordValue, String partitionKey, String seqNum, long approxArrivalTimestamp,
                                 String stream, String shardId) {
        return new RawRecord(recordValue, shardId + ":" + seqNum);
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }
}

package io.trailguard.job.kinesis;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts records with PutRecords in batches within the Kinesis limits (500 records, 5 MiB per call, 1 MiB per record
 * including its partition key), retrying the entries a call reports as failed (throttling) with backoff.
 */
public final class RecordBatcher implements AutoCloseable {
    static final int MAX_RECORDS = 500;
    static final int MAX_BATCH_BYTES = 5 * 1024 * 1024;
    public static final int MAX_RECORD_BYTES = 1024 * 1024;
    private static final int ATTEMPTS = 6;

    private final KinesisClient client;
    private final String stream;
    private final List<PutRecordsRequestEntry> batch = new ArrayList<>();
    private int batchBytes;
    private long sent;

    public RecordBatcher(KinesisClient client, String stream) {
        this.client = client;
        this.stream = stream;
    }

    /** Queues one record; false (and nothing queued) when it is larger than a Kinesis record may be. */
    public boolean add(String partitionKey, byte[] data) throws InterruptedException {
        int size = data.length + partitionKey.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (size > MAX_RECORD_BYTES) {
            return false;
        }
        if (batch.size() == MAX_RECORDS || batchBytes + size > MAX_BATCH_BYTES) {
            flush();
        }
        batch.add(PutRecordsRequestEntry.builder().partitionKey(partitionKey).data(SdkBytes.fromByteArray(data))
                .build());
        batchBytes += size;
        return true;
    }

    /** Puts the queued records, retrying failed entries; throws when some still fail after the retries. */
    public void flush() throws InterruptedException {
        List<PutRecordsRequestEntry> pending = new ArrayList<>(batch);
        batch.clear();
        batchBytes = 0;
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            final List<PutRecordsRequestEntry> entries = pending;
            PutRecordsResponse r = client.putRecords(b -> b.streamName(stream).records(entries));
            List<PutRecordsRequestEntry> failed = new ArrayList<>();
            String lastError = null;
            for (int i = 0; i < r.records().size(); i++) {
                PutRecordsResultEntry e = r.records().get(i);
                if (e.errorCode() != null) {
                    failed.add(entries.get(i));
                    lastError = e.errorCode() + ": " + e.errorMessage();
                }
            }
            sent += entries.size() - failed.size();
            if (!failed.isEmpty() && attempt == ATTEMPTS) {
                throw new IllegalStateException(failed.size() + " records could not be put into " + stream
                        + " after " + ATTEMPTS + " attempts (" + lastError + ")");
            }
            if (!failed.isEmpty()) {
                Thread.sleep(100L << attempt);
            }
            pending = failed;
        }
    }

    /** Records put so far. */
    public long sent() {
        return sent;
    }

    @Override
    public void close() throws InterruptedException {
        flush();
    }
}

package io.trailguard.job.s3;

import io.trailguard.job.serde.JobJson;
import io.trailguard.job.serde.RawRecord;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The reader of one file when the connection breaks in the middle of it. */
class ObjectSplitReaderTest {
    private static final byte[] FILE = TrailFiles.gzipLog(S3JobHarness.users("e", 3000));

    /** Serves {@link #FILE}; the first {@code breaks} opens fail with a socket error after {@code after} bytes. */
    private static final class BreakingS3 implements S3Client {
        final AtomicInteger opens = new AtomicInteger();
        final int breaks;
        final int after;

        BreakingS3(int breaks, int after) {
            this.breaks = breaks;
            this.after = after;
        }

        @Override
        public ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest request) {
            int n = opens.incrementAndGet();
            InputStream in = new ByteArrayInputStream(FILE);
            if (n <= breaks) {
                in = new FilterInputStream(in) {
                    int read;

                    @Override
                    public int available() {
                        return 0; // as a socket with nothing buffered: readers do not read ahead past the break
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (read >= after) {
                            throw new SocketException("Connection reset");
                        }
                        int r = super.read(b, off, Math.min(len, after - read));
                        read += Math.max(r, 0);
                        return r;
                    }
                };
            }
            return new ResponseInputStream<>(GetObjectResponse.builder().build(), AbortableInputStream.create(in));
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {
        }
    }

    private static List<RawRecord> readAll(ObjectSplitReader reader) throws IOException {
        ObjectSplit split = new ObjectSplit("m1", 0, new ObjectRef("b", "AWSLogs/111122223333/CloudTrail/us-east-1/"
                + "2026/02/01/f.json.gz"), "111122223333/us-east-1", 0, false);
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
        List<RawRecord> out = new ArrayList<>();
        for (int round = 0; round < 1000; round++) {
            RecordsWithSplitIds<RawRecord> batch = reader.fetch();
            while (batch.nextSplit() != null) {
                RawRecord r;
                while ((r = batch.nextRecordFromSplit()) != null) {
                    out.add(r);
                }
            }
            if (batch.finishedSplits().contains(split.splitId())) {
                return out;
            }
        }
        throw new AssertionError("the split never finished");
    }

    @Test
    void aBrokenConnectionReopensTheFileAfterTheLastRecordEmitted() throws IOException {
        BreakingS3 s3 = new BreakingS3(2, FILE.length / 2);
        List<RawRecord> records = readAll(new ObjectSplitReader(s3));
        assertThat(s3.opens.get()).isEqualTo(3);
        List<String> ids = new ArrayList<>();
        for (RawRecord r : records) {
            assertThat(r.failure).isNull();
            ids.add(JobJson.mapper().readTree(r.data).get("eventID").asText());
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            expected.add("e" + i);
        }
        assertThat(ids).isEqualTo(expected);
        assertThat(records.get(2999).origin).endsWith(".json.gz:3000");
    }

    @Test
    void aConnectionThatKeepsBreakingDeadLettersTheRestWithTheReason() throws IOException {
        BreakingS3 s3 = new BreakingS3(100, FILE.length / 2);
        List<RawRecord> records = readAll(new ObjectSplitReader(s3));
        assertThat(s3.opens.get()).isEqualTo(1 + ObjectSplitReader.REOPENS);
        RawRecord last = records.get(records.size() - 1);
        assertThat(last.failure).contains("after record " + (records.size() - 1)).contains("Connection reset");
        assertThat(records.subList(0, records.size() - 1)).allSatisfy(r -> assertThat(r.failure).isNull());
    }
}

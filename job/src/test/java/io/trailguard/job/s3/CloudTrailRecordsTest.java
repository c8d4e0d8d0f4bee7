package io.trailguard.job.s3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import io.trailguard.job.TestEvents;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Streaming the records out of a CloudTrail log file. */
class CloudTrailRecordsTest {
    private static List<ObjectNode> users(int n) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(TestEvents.record("iam.amazonaws.com", "CreateUser", "e" + i, "2026-02-01T10:00:0" + (i % 10)
                    + "Z"));
        }
        return out;
    }

    @Test
    void everyRecordOnceWithItsEventTimeAndSkipResumesInside() throws IOException {
        List<ObjectNode> records = users(25);
        try (CloudTrailRecords r = CloudTrailRecords.open(new ByteArrayInputStream(TrailFiles.gzipLog(records)))) {
            for (int i = 0; i < 25; i++) {
                byte[] b = r.next();
                assertThat(JobJson.mapper().readTree(b)).isEqualTo(records.get(i));
                assertThat(r.eventTime()).isEqualTo(records.get(i).get("eventTime").asText());
                assertThat(r.position()).isEqualTo(i + 1);
            }
            assertThat(r.next()).isNull();
        }
        try (CloudTrailRecords r = CloudTrailRecords.open(new ByteArrayInputStream(TrailFiles.gzipLog(records)))) {
            assertThat(r.skip(20)).isTrue();
            assertThat(JobJson.mapper().readTree(r.next()).get("eventID").asText()).isEqualTo("e20");
            assertThat(r.skip(10)).isFalse();
        }
    }

    @Test
    void plainJsonAndFieldsBeforeRecordsAreRead() throws IOException {
        String doc = "{\"other\":{\"Records\":[1]},\"Records\":[{\"eventID\":\"x\",\"eventTime\":\"t\",\"n\":{"
                + "\"eventTime\":\"inner\"}}]}";
        try (CloudTrailRecords r = CloudTrailRecords.open(new ByteArrayInputStream(
                doc.getBytes(StandardCharsets.UTF_8)))) {
            assertThat(new String(r.next(), StandardCharsets.UTF_8)).contains("\"eventID\":\"x\"");
            assertThat(r.eventTime()).isEqualTo("t");
            assertThat(r.next()).isNull();
        }
    }

    @Test
    void notACloudTrailFileCorruptGzipAndTruncatedJsonFailWithAReason() throws IOException {
        try (CloudTrailRecords r = CloudTrailRecords.open(new ByteArrayInputStream("{\"a\":1}".getBytes(
                StandardCharsets.UTF_8)))) {
            assertThatThrownBy(r::next).hasMessageContaining("no \"Records\" array");
        }
        byte[] gz = TrailFiles.gzipLog(users(200));
        byte[] corrupt = Arrays.copyOf(gz, gz.length / 2);
        try (CloudTrailRecords r = CloudTrailRecords.open(new ByteArrayInputStream(corrupt))) {
            assertThatThrownBy(() -> {
                while (r.next() != null) {
                    // read until it fails
                }
            }).hasMessageContaining("gzip");
        }
        try (CloudTrailRecords r = CloudTrailRecords.open(new ByteArrayInputStream(
                "{\"Records\":[{\"eventID\":\"a\"},{\"eventID\":".getBytes(StandardCharsets.UTF_8)))) {
            assertThat(r.next()).isNotNull();
            assertThatThrownBy(r::next).isInstanceOf(IOException.class);
        }
    }
}

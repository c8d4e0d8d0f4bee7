package io.trailguard.job.sink.ocsf.lake;

import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Parquet schema of the OCSF Detection Findings Trailguard writes ({@code detection_finding.parquet-schema}
 * beside this class): one nested group per OCSF object the mapper emits, arrays as standard three-level LISTs,
 * OCSF {@code integer_t} as INT32, {@code long_t} and {@code timestamp_t} (epoch milliseconds) as INT64,
 * {@code boolean_t} as BOOLEAN, the string types as UTF-8 STRING, and the free-form {@code unmapped} object as
 * JSON text. Every column is optional, as absent attributes are.
 */
public final class FindingParquetSchema {
    static final String RESOURCE = "io/trailguard/job/sink/ocsf/lake/detection_finding.parquet-schema";
    private static final MessageType SCHEMA = load();

    private FindingParquetSchema() {
    }

    public static MessageType get() {
        return SCHEMA;
    }

    private static MessageType load() {
        try (InputStream in = FindingParquetSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return MessageTypeParser.parseMessageType(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

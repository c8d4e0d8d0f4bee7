package io.trailguard.job.s3;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.trailguard.rules.event.FileContent;
import io.trailguard.rules.event.InputFiles;
import io.trailguard.rules.event.Json;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Streams the records of one CloudTrail log file ({@code {"Records":[{...},{...}]}}, gzip or plain) one at a time,
 * with Jackson's streaming parser: the file is never held in memory, only the current record. Each record is copied
 * out as compact JSON bytes, and its top-level {@code eventTime} is noted on the way (for time windows). Content is
 * capped at {@link InputFiles#MAX_CONTENT_BYTES} after decompression, as for local files.
 */
public final class CloudTrailRecords implements Closeable {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final JsonParser parser;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);
    private long index;
    private String eventTime;
    private boolean inRecords;
    private boolean done;

    private CloudTrailRecords(JsonParser parser) {
        this.parser = parser;
    }

    /** Opens {@code raw} (gzip by its magic bytes, else plain); closes it when this is closed. */
    public static CloudTrailRecords open(InputStream raw) throws IOException {
        InputStream content = FileContent.open(raw, InputFiles.MAX_CONTENT_BYTES, BUFFER_BYTES);
        try {
            return new CloudTrailRecords(Json.mapper().getFactory().createParser(content));
        } catch (IOException | RuntimeException e) {
            content.close();
            throw e;
        }
    }

    /**
     * The next record's JSON, or null at the end of the file. Throws {@link IOException} for a file that is not a
     * CloudTrail log ({@code Records} array missing), bad JSON, corrupt gzip or a read error; records returned before
     * stay valid.
     */
    public byte[] next() throws IOException {
        if (done) {
            return null;
        }
        if (!inRecords) {
            seekRecords();
        }
        JsonToken t = parser.nextToken();
        if (t == JsonToken.END_ARRAY || t == null) {
            done = true;
            return null;
        }
        buffer.reset();
        eventTime = null;
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(buffer)) {
            if (t == JsonToken.START_OBJECT) {
                copyRecord(g);
            } else {
                g.copyCurrentStructure(parser);
            }
        }
        index++;
        return buffer.toByteArray();
    }

    /** Skips {@code n} records (a restored reader's position); false when the file ends first. */
    public boolean skip(long n) throws IOException {
        for (long i = 0; i < n; i++) {
            if (done) {
                return false;
            }
            if (!inRecords) {
                seekRecords();
            }
            JsonToken t = parser.nextToken();
            if (t == JsonToken.END_ARRAY || t == null) {
                done = true;
                return false;
            }
            parser.skipChildren();
            index++;
        }
        return true;
    }

    /** The top-level {@code eventTime} of the record last returned by {@link #next()}, or null. */
    public String eventTime() {
        return eventTime;
    }

    /** How many records have been returned or skipped. */
    public long position() {
        return index;
    }

    private void copyRecord(JsonGenerator g) throws IOException {
        g.copyCurrentEvent(parser);
        int depth = 1;
        while (depth > 0) {
            JsonToken t = parser.nextToken();
            if (t == null) {
                throw new IOException("unexpected end of file inside record " + (index + 1));
            }
            if (depth == 1 && t == JsonToken.FIELD_NAME && "eventTime".equals(parser.currentName())) {
                g.copyCurrentEvent(parser);
                JsonToken v = parser.nextToken();
                if (v == JsonToken.VALUE_STRING) {
                    eventTime = parser.getText();
                }
                if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                    g.copyCurrentStructure(parser);
                } else {
                    g.copyCurrentEvent(parser);
                }
                continue;
            }
            g.copyCurrentEvent(parser);
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            }
        }
    }

    /** Moves to the first element of the top-level {@code Records} array. */
    private void seekRecords() throws IOException {
        JsonToken t = parser.nextToken();
        if (t != JsonToken.START_OBJECT) {
            throw new IOException(t == null ? "empty file: no JSON document"
                    : "not a CloudTrail log file: the document is not a JSON object");
        }
        while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            t = parser.nextToken();
            if (name.equals("Records") && t == JsonToken.START_ARRAY) {
                inRecords = true;
                return;
            }
            parser.skipChildren();
        }
        throw new IOException("not a CloudTrail log file: no \"Records\" array");
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}

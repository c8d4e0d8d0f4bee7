package io.trailguard.job.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.event.FileContent;
import io.trailguard.rules.event.InputFiles;
import io.trailguard.rules.event.Json;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Splits a replay input into raw documents without building JSON trees (the evaluator parses each document once),
 * following the engine's {@link InputFiles} conventions:
 * <ul>
 *   <li>gzip content (by its magic bytes) is decompressed, up to {@link InputFiles#MAX_CONTENT_BYTES};</li>
 *   <li>{@code .jsonl} / {@code .jsonl.gz}: one document per non-blank line, origin {@code file:line};</li>
 *   <li>other names: the whole content is one document (a log file, an array, a record), origin {@code file} - unless
 *       it holds several JSON values and its first two non-blank lines each parse, when it is read as JSON lines;</li>
 *   <li>an empty input, corrupt gzip data, content over the cap or an I/O error becomes a failed record (a dead letter
 *       downstream); documents read before the failure stay.</li>
 * </ul>
 */
public final class DocumentReader {
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int HEAD_BYTES = 1024;

    private final long maxContentBytes;

    public DocumentReader() {
        this(InputFiles.MAX_CONTENT_BYTES);
    }

    DocumentReader(long maxContentBytes) {
        this.maxContentBytes = maxContentBytes;
    }

    /** Reads one input; every document, or failure, goes to {@code out}. Never throws for bad input. */
    public void read(ReplayInput input, Consumer<RawRecord> out) {
        String origin = input.name();
        String name = origin.toLowerCase(Locale.ROOT);
        boolean lines = name.endsWith(".jsonl") || name.endsWith(".jsonl.gz");
        byte[] head = new byte[0];
        try (InputStream in = open(input)) {
            if (lines) {
                readLines(in, origin, out);
            } else {
                byte[] content = readAll(in);
                head = Arrays.copyOf(content, Math.min(content.length, HEAD_BYTES));
                readDocument(content, origin, out);
            }
        } catch (FileContent.TooLarge e) {
            out.accept(RawRecord.failed(origin, "gzip bomb / too large: " + e.getMessage(), head));
        } catch (FileContent.CorruptGzip e) {
            out.accept(RawRecord.failed(origin, e.getMessage(), null));
        } catch (IOException | RuntimeException e) {
            out.accept(RawRecord.failed(origin, "cannot read file: " + e, null));
        }
    }

    private void readDocument(byte[] content, String origin, Consumer<RawRecord> out) throws IOException {
        if (isBlank(content)) {
            out.accept(RawRecord.failed(origin, "empty file: no JSON document", content));
        } else if (holdsSeveralValues(content) && firstTwoLinesParse(content)) {
            readLines(new ByteArrayInputStream(content), origin, out);
        } else {
            out.accept(new RawRecord(content, origin));
        }
    }

    private static void readLines(InputStream in, String origin, Consumer<RawRecord> out) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), BUFFER_BYTES);
        long lineNumber = 0;
        boolean any = false;
        String line;
        while ((line = r.readLine()) != null) {
            lineNumber++;
            if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (!line.trim().isEmpty()) {
                any = true;
                out.accept(new RawRecord(line.getBytes(StandardCharsets.UTF_8), origin + ":" + lineNumber));
            }
        }
        if (!any) {
            out.accept(RawRecord.failed(origin, "empty file: no JSON document", null));
        }
    }

    /** True when there is more than one JSON value, or a syntax error past the first line (JSON lines fail there). */
    static boolean holdsSeveralValues(byte[] content) {
        try (JsonParser p = Json.mapper().getFactory().createParser(content)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() != null;
        } catch (JsonProcessingException e) {
            return e.getLocation() != null && e.getLocation().getLineNr() >= 2;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean firstTwoLinesParse(byte[] content) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(content),
                StandardCharsets.UTF_8));
        int parsed = 0;
        boolean first = true;
        String line;
        while (parsed < 2 && (line = r.readLine()) != null) {
            if (first && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            first = false;
            if (line.trim().isEmpty()) {
                continue;
            }
            try {
                Json.mapper().readTree(line);
            } catch (JsonProcessingException e) {
                return false;
            }
            parsed++;
        }
        return parsed == 2;
    }

    /** True for content that is only whitespace (after an optional UTF-8 byte-order mark). */
    private static boolean isBlank(byte[] c) {
        int i = c.length >= 3 && (c[0] & 0xff) == 0xEF && (c[1] & 0xff) == 0xBB && (c[2] & 0xff) == 0xBF ? 3 : 0;
        for (; i < c.length; i++) {
            if (c[i] != ' ' && c[i] != '\n' && c[i] != '\r' && c[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[BUFFER_BYTES];
        int n;
        while ((n = in.read(chunk)) > 0) {
            buf.write(chunk, 0, n);
        }
        return buf.toByteArray();
    }

    /** The content: gunzipped when it starts with the gzip magic bytes, capped at maxContentBytes. */
    private InputStream open(ReplayInput input) throws IOException {
        return FileContent.open(input.open(), maxContentBytes, BUFFER_BYTES);
    }
}

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
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
        Iterator<RawRecord> it = records(input);
        while (it.hasNext()) {
            out.accept(it.next());
        }
    }

    /**
     * The documents (or failure) of one input, read as they are asked for: a JSON-lines input is never held in
     * memory whole. The iterator closes the input when it ends. Never throws for bad input.
     */
    public Iterator<RawRecord> records(ReplayInput input) {
        return new Records(input);
    }

    /** The pull side of {@link #read}: one input's documents, then its end. */
    private final class Records implements Iterator<RawRecord> {
        private final ReplayInput input;
        private final String origin;
        private final boolean lines;
        private InputStream in;
        private LineSplitter splitter;
        private Iterator<RawRecord> whole;
        private RawRecord next;
        private boolean started;
        private boolean done;

        Records(ReplayInput input) {
            this.input = input;
            this.origin = input.name();
            String name = origin.toLowerCase(Locale.ROOT);
            this.lines = name.endsWith(".jsonl") || name.endsWith(".jsonl.gz");
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                next = advance();
                if (next == null) {
                    done = true;
                    close();
                }
            }
            return next != null;
        }

        @Override
        public RawRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            RawRecord r = next;
            next = null;
            return r;
        }

        private RawRecord advance() {
            byte[] head = new byte[0];
            try {
                if (!started) {
                    started = true;
                    in = open(input);
                    if (lines) {
                        splitter = new LineSplitter(in, origin);
                    } else {
                        byte[] content = readAll(in);
                        head = Arrays.copyOf(content, Math.min(content.length, HEAD_BYTES));
                        whole = readDocument(content, origin);
                    }
                }
                if (splitter != null) {
                    return splitter.next();
                }
                return whole.hasNext() ? whole.next() : null;
            } catch (FileContent.TooLarge e) {
                return fail(RawRecord.failed(origin, "gzip bomb / too large: " + e.getMessage(), head));
            } catch (FileContent.CorruptGzip e) {
                return fail(RawRecord.failed(origin, e.getMessage(), null));
            } catch (IOException | RuntimeException e) {
                return fail(RawRecord.failed(origin, "cannot read file: " + e, null));
            }
        }

        /** The failure is the input's last record: documents read before it stay. */
        private RawRecord fail(RawRecord failure) {
            splitter = null;
            whole = java.util.Collections.emptyIterator();
            return failure;
        }

        private void close() {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // read to its end or failed already: nothing more to report
                }
            }
        }
    }

    private Iterator<RawRecord> readDocument(byte[] content, String origin) throws IOException {
        if (isBlank(content)) {
            return java.util.Collections.singletonList(RawRecord.failed(origin, "empty file: no JSON document",
                    content)).iterator();
        }
        if (holdsSeveralValues(content) && firstTwoLinesParse(content)) {
            List<RawRecord> out = new ArrayList<>();
            LineSplitter s = new LineSplitter(new ByteArrayInputStream(content), origin);
            RawRecord r;
            while ((r = s.next()) != null) {
                out.add(r);
            }
            return out.iterator();
        }
        return java.util.Collections.singletonList(new RawRecord(content, origin)).iterator();
    }

    /**
     * Splits JSON lines at the byte level, as {@link BufferedReader#readLine} splits text (at {@code \n}, {@code \r}
     * or {@code \r\n}): a UTF-8 byte-order mark before the first line is dropped, lines of white space (bytes up to
     * {@code 0x20}, what {@link String#trim} removes) are skipped, the origin is {@code file:line}. A line's bytes are
     * passed on as read when they are ASCII; a line with other bytes is decoded and re-encoded, so malformed UTF-8
     * becomes U+FFFD exactly as a decoding reader makes it.
     */
    static final class LineSplitter {
        private final InputStream in;
        private final String origin;
        private byte[] buf;
        private int pos;
        private int limit;
        private boolean eof;
        private boolean pendingCr;
        /** Whether the line {@link #readLine} returned last has a byte over 0x7F. */
        private boolean nonAscii;
        private long lineNumber;
        private boolean any;
        private boolean ended;

        LineSplitter(InputStream in, String origin) {
            this(in, origin, BUFFER_BYTES);
        }

        /** @param bufferBytes the initial buffer (it grows for longer lines) */
        LineSplitter(InputStream in, String origin, int bufferBytes) {
            this.in = in;
            this.origin = origin;
            this.buf = new byte[bufferBytes];
        }

        /** The next document, the empty-file failure when there was none, or null at the end. */
        RawRecord next() throws IOException {
            while (!ended) {
                int[] line = readLine();
                if (line == null) {
                    ended = true;
                    return any ? null : RawRecord.failed(origin, "empty file: no JSON document", null);
                }
                lineNumber++;
                int from = line[0];
                int to = line[1];
                if (lineNumber == 1 && to - from >= 3 && (buf[from] & 0xff) == 0xEF && (buf[from + 1] & 0xff) == 0xBB
                        && (buf[from + 2] & 0xff) == 0xBF) {
                    from += 3;
                }
                boolean ascii = !nonAscii;
                boolean blank = true;
                for (int i = from; i < to; i++) {
                    if (buf[i] > ' ' || buf[i] < 0) {
                        blank = false;
                        break;
                    }
                }
                if (blank) {
                    continue;
                }
                any = true;
                byte[] data = ascii ? Arrays.copyOfRange(buf, from, to)
                        : new String(buf, from, to - from, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
                return new RawRecord(data, origin + ":" + lineNumber);
            }
            return null;
        }

        /** {from, to} of the next line in {@link #buf} (valid until the next call), or null at the end. */
        private int[] readLine() throws IOException {
            nonAscii = false;
            int scan = pos;
            while (true) {
                if (pendingCr && scan < limit) {
                    pendingCr = false;
                    if (buf[scan] == '\n') {
                        pos++;
                        scan++;
                    }
                }
                for (; scan < limit; scan++) {
                    byte b = buf[scan];
                    if (b <= '\r') { // one comparison for most bytes; bytes over 0x7F are negative
                        if (b == '\n' || b == '\r') {
                            int[] line = {pos, scan};
                            pos = scan + 1;
                            pendingCr = b == '\r';
                            return line;
                        }
                        if (b < 0) {
                            nonAscii = true;
                        }
                    }
                }
                if (eof) {
                    if (pos < limit) {
                        int[] line = {pos, limit};
                        pos = limit;
                        return line;
                    }
                    return null;
                }
                scan = fill(scan);
            }
        }

        /** Reads more bytes, keeping the unfinished line; returns where the scan continues. */
        private int fill(int scan) throws IOException {
            int kept = limit - pos;
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, kept);
            } else if (kept == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int continueAt = scan - pos;
            pos = 0;
            limit = kept;
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
            return continueAt;
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

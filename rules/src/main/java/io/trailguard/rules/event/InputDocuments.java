package io.trailguard.rules.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * The one reader of input files: splits a file's content into undecoded {@link InputDocument}s without building JSON
 * trees (the unwrapper parses each document once). Used by {@link InputFiles} and by the job's replay source.
 * <ul>
 *   <li>Compression: content starting with the gzip magic bytes {@code 1f 8b} is gunzipped, whatever the name.</li>
 *   <li>Size: at most the cap of content (after decompression); past it the file's last document is the failure
 *       "gzip bomb / too large" (documents read before it stay; JSON lines name the line reading stopped at).</li>
 *   <li>{@code .jsonl} / {@code .jsonl.gz}: streamed, one document per non-blank line, origin {@code file:line}.</li>
 *   <li>Other names: the whole content is one document (a log file, an array, a record), origin {@code file} -
 *       unless it holds several JSON values (or fails to parse past its first line) and its first two non-blank
 *       lines each parse on their own, when it is read as JSON lines (real exports name NDJSON {@code .json}).</li>
 *   <li>An empty input, corrupt gzip data, content over the cap or an I/O error is a failed document with the
 *       start of the content: never an exception.</li>
 * </ul>
 */
public final class InputDocuments {
    /** Opens the raw bytes of one input (a file, a resource, an object). */
    public interface Opener {
        InputStream open() throws IOException;
    }

    private static final int BUFFER_BYTES = 64 * 1024;
    /** Bytes of the content kept for the excerpt of a failure. */
    private static final int HEAD_BYTES = 1024;

    private final long maxContentBytes;

    public InputDocuments() {
        this(InputFiles.MAX_CONTENT_BYTES);
    }

    /** @param maxContentBytes most content read from one input, after gzip decompression */
    public InputDocuments(long maxContentBytes) {
        if (maxContentBytes <= 0) {
            throw new IllegalArgumentException("maxContentBytes must be positive, got " + maxContentBytes);
        }
        this.maxContentBytes = maxContentBytes;
    }

    /**
     * The documents (or failure) of the input called {@code name} (its origin; its extension decides the format),
     * read as they are asked for: a JSON-lines input is never held in memory whole. The iterator closes the input
     * when it ends.
     */
    public Iterator<InputDocument> documents(String name, Opener opener) {
        return new Documents(name, opener);
    }

    /** One input's documents, then its end. */
    private final class Documents implements Iterator<InputDocument> {
        private final Opener opener;
        private final String origin;
        private final boolean lines;
        private HeadCapture in;
        private LineSplitter splitter;
        private Iterator<InputDocument> whole;
        private InputDocument next;
        private boolean started;
        private boolean done;

        Documents(String name, Opener opener) {
            this.opener = opener;
            this.origin = name;
            String lower = name.toLowerCase(Locale.ROOT);
            this.lines = lower.endsWith(".jsonl") || lower.endsWith(".jsonl.gz");
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
        public InputDocument next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            InputDocument d = next;
            next = null;
            return d;
        }

        private InputDocument advance() {
            try {
                if (!started) {
                    started = true;
                    in = new HeadCapture(FileContent.open(opener.open(), maxContentBytes, BUFFER_BYTES));
                    if (lines) {
                        splitter = new LineSplitter(in, origin);
                    } else {
                        whole = readDocument(readAll(in), origin);
                    }
                }
                if (splitter != null) {
                    return splitter.next();
                }
                return whole.hasNext() ? whole.next() : null;
            } catch (FileContent.TooLarge e) {
                String at = splitter == null ? "" : " (read up to line " + splitter.lineNumber() + ")";
                return fail(InputDocument.failed(origin, "gzip bomb / too large: " + e.getMessage() + at, head()));
            } catch (FileContent.CorruptGzip e) {
                return fail(InputDocument.failed(origin, e.getMessage(), null));
            } catch (IOException | RuntimeException e) {
                return fail(InputDocument.failed(origin, "cannot read file: " + e, null));
            }
        }

        private byte[] head() {
            return in == null ? null : in.head();
        }

        /** The failure is the input's last document: documents read before it stay. */
        private InputDocument fail(InputDocument failure) {
            splitter = null;
            whole = Collections.emptyIterator();
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

    private static Iterator<InputDocument> readDocument(byte[] content, String origin) throws IOException {
        if (isBlank(content)) {
            return Collections.singletonList(InputDocument.failed(origin, "empty file: no JSON document", content))
                    .iterator();
        }
        if (holdsSeveralValues(content) && firstTwoLinesParse(content)) {
            List<InputDocument> out = new ArrayList<>();
            LineSplitter s = new LineSplitter(new ByteArrayInputStream(content), origin);
            InputDocument d;
            while ((d = s.next()) != null) {
                out.add(d);
            }
            return out.iterator();
        }
        return Collections.singletonList(InputDocument.whole(content, origin)).iterator();
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

        /** Lines read so far, blank ones included. */
        long lineNumber() {
            return lineNumber;
        }

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
        InputDocument next() throws IOException {
            while (!ended) {
                int[] line = readLine();
                if (line == null) {
                    ended = true;
                    return any ? null : InputDocument.failed(origin, "empty file: no JSON document", null);
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
                return InputDocument.line(data, origin, lineNumber);
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
    private static boolean holdsSeveralValues(byte[] content) {
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

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[BUFFER_BYTES];
        int n;
        while ((n = in.read(chunk)) > 0) {
            buf.write(chunk, 0, n);
        }
        return buf.toByteArray();
    }

    /** Keeps the first {@value #HEAD_BYTES} bytes read through it, for the excerpt of a failure. */
    private static final class HeadCapture extends FilterInputStream {
        private final byte[] head = new byte[HEAD_BYTES];
        private int kept;

        HeadCapture(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && kept < head.length) {
                head[kept++] = (byte) b;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0 && kept < head.length) {
                int copy = Math.min(n, head.length - kept);
                System.arraycopy(b, off, head, kept, copy);
                kept += copy;
            }
            return n;
        }

        byte[] head() {
            return Arrays.copyOf(head, kept);
        }
    }
}

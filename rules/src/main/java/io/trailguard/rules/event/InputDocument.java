package io.trailguard.rules.event;

/**
 * One undecoded document of an input file as {@link InputDocuments} splits it: a line of a JSON-lines file or a whole
 * file, or the failure that ended the file's reading. Unwrapping happens later, so a document is parsed once.
 */
public final class InputDocument {
    private final byte[] data;
    private final String origin;
    private final long line;
    private final String failure;

    private InputDocument(byte[] data, String origin, long line, String failure) {
        this.data = data;
        this.origin = origin;
        this.line = line;
        this.failure = failure;
    }

    /** A whole file's content (origin {@code file}). */
    static InputDocument whole(byte[] data, String origin) {
        return new InputDocument(data, origin, 0, null);
    }

    /** Line {@code line} (1-based) of a JSON-lines file (origin {@code file:line}). */
    static InputDocument line(byte[] data, String file, long line) {
        return new InputDocument(data, file + ":" + line, line, null);
    }

    /** What could not be read, with the start of the content for the excerpt (never null). */
    static InputDocument failed(String origin, String failure, byte[] head) {
        return new InputDocument(head == null ? new byte[0] : head, origin, 0, failure);
    }

    /** The document's bytes (UTF-8 JSON, usually); for a failure, the start of the content. */
    public byte[] data() {
        return data;
    }

    /** {@code file:line} for a line of a JSON-lines file, else {@code file}. */
    public String origin() {
        return origin;
    }

    /** The 1-based line of a JSON-lines document, 0 for a whole file or a failure. */
    public long line() {
        return line;
    }

    /** Why the file could not be read further (empty, corrupt gzip, too large, I/O error), or null. */
    public String failure() {
        return failure;
    }

    /** Unwraps this document into {@code sink}: its events, or its dead letters. */
    public void unwrapInto(EventUnwrapper unwrapper, EventSink sink) {
        if (failure != null) {
            unwrapper.reject(sink, DeadLetter.of(origin, failure, data));
        } else if (line > 0) {
            unwrapper.unwrapLine(new String(data, java.nio.charset.StandardCharsets.UTF_8), origin, line, sink);
        } else {
            unwrapper.unwrap(data, origin, sink);
        }
    }
}

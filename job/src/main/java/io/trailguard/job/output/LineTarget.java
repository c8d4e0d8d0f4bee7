package io.trailguard.job.output;

import io.trailguard.job.files.LineFile;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Paths;

/**
 * Where a {@link LineSink} writes: the console's stdout or stderr, or a file ({@link LineFile}: appended to, never
 * truncated, so a restart keeps the lines written before).
 */
public final class LineTarget implements Serializable {
    private static final long serialVersionUID = 1L;

    private enum Kind { STDOUT, STDERR, FILE }

    private final Kind kind;
    private final String consoleId;
    private final String path;

    private LineTarget(Kind kind, String consoleId, String path) {
        this.kind = kind;
        this.consoleId = consoleId;
        this.path = path;
    }

    public static LineTarget stdout(String consoleId) {
        return new LineTarget(Kind.STDOUT, consoleId, null);
    }

    public static LineTarget stderr(String consoleId) {
        return new LineTarget(Kind.STDERR, consoleId, null);
    }

    public static LineTarget file(String path) {
        return new LineTarget(Kind.FILE, null, path);
    }

    /** Opens the target for writing lines. */
    LineWriter open() throws IOException {
        switch (kind) {
            case STDOUT:
                return new ConsoleWriter(LocalConsole.out(consoleId));
            case STDERR:
                return new ConsoleWriter(LocalConsole.err(consoleId));
            default:
                return new FileWriter(LineFile.append(Paths.get(path)));
        }
    }

    @Override
    public String toString() {
        return kind == Kind.FILE ? "file:" + path : kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Writes whole lines; each line is visible (flushed) when {@link #write} returns. */
    interface LineWriter extends AutoCloseable {
        void write(String line) throws IOException;

        @Override
        void close() throws IOException;
    }

    private static final class ConsoleWriter implements LineWriter {
        private final PrintStream out;

        ConsoleWriter(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(String line) {
            // println is synchronized: a line is never interleaved with another writer's.
            out.println(line);
            out.flush();
        }

        @Override
        public void close() {
            out.flush();
        }
    }

    /** The file's lines ({@link LineFile}). */
    private static final class FileWriter implements LineWriter {
        private final LineFile file;

        FileWriter(LineFile file) {
            this.file = file;
        }

        @Override
        public void write(String line) throws IOException {
            file.write(line);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}

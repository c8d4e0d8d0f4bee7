package io.trailguard.job.output;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * Where a {@link LineSink} writes: the console's stdout or stderr, or a file (appended to, never truncated: a restart
 * keeps the lines written before).
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
                Path p = Paths.get(path);
                Path parent = p.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                return FileWriter.append(p);
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

    /**
     * Appends to the file, never truncates it: the lines of earlier runs (alerts written before a crash or a restart)
     * stay. Each line goes out in one write call with its newline. A process killed while writing a line longer than
     * one write may leave it without its newline: opening the file again first ends such a torn line, so it never
     * merges with the next run's first line.
     */
    private static final class FileWriter implements LineWriter {
        private final OutputStream out;

        private FileWriter(OutputStream out) {
            this.out = out;
        }

        static FileWriter append(Path p) throws IOException {
            OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
            try {
                if (endsWithoutNewline(p)) {
                    out.write('\n');
                    out.flush();
                }
            } catch (IOException e) {
                out.close();
                throw e;
            }
            return new FileWriter(out);
        }

        private static boolean endsWithoutNewline(Path p) throws IOException {
            try (SeekableByteChannel ch = Files.newByteChannel(p, StandardOpenOption.READ)) {
                if (ch.size() == 0) {
                    return false;
                }
                ByteBuffer last = ByteBuffer.allocate(1);
                ch.position(ch.size() - 1);
                ch.read(last);
                return last.get(0) != '\n';
            }
        }

        @Override
        public void write(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}

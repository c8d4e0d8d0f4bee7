package io.trailguard.job.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one writer of the job's local line files (alerts, dead letters of every kind): appends, never truncates, so
 * the lines of earlier runs (written before a crash or a restart) stay. Each line goes out in one write call with its
 * newline and is flushed. A process killed while writing a line longer than one write may leave it without its
 * newline: opening the file again first ends such a torn line, so it never merges with the next run's first line.
 */
public final class LineFile implements AutoCloseable {
    /** One lock per file for {@link #appendLine}, so concurrent callers never interleave within a line. */
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private final OutputStream out;

    private LineFile(OutputStream out) {
        this.out = out;
    }

    /** Opens {@code file} for appending lines, creating it and its parent directories when missing. */
    public static LineFile append(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        try {
            if (endsWithoutNewline(file)) {
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            out.close();
            throw e;
        }
        return new LineFile(out);
    }

    /** Appends one line to {@code file} (opened and closed for it); thread-safe per file within this process. */
    public static void appendLine(Path file, String line) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        synchronized (LOCKS.computeIfAbsent(key, k -> new Object())) {
            try (LineFile f = append(key)) {
                f.write(line);
            }
        }
    }

    /** Writes {@code line} and its newline in one call, flushed when it returns. */
    public void write(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
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
}

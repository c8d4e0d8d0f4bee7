package io.trailguard.job.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code -} where a command reads a file: standard input, read once. Inputs are copied to a temporary file (deleted
 * when the process ends) because replay reads its files inside Flink tasks; the file has no extension, so the
 * reader takes it as one JSON document or as JSON lines, whichever it is.
 */
final class Stdin {
    static final String DASH = "-";
    private static InputStream in = System.in;

    private Stdin() {
    }

    /** Tests replace standard input. */
    static void use(InputStream stream) {
        in = stream;
    }

    static String text() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    static Path toFile() throws IOException {
        Path dir = Files.createTempDirectory("trailguard-stdin");
        Path f = dir.resolve("stdin");
        Files.copy(in, f);
        f.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return f;
    }
}

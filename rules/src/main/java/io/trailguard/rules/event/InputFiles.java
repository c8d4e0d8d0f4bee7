package io.trailguard.rules.event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads CloudTrail input files for the {@code replay} command.
 *
 * <h2>Which files</h2>
 * {@link #list} walks directories recursively and keeps files named {@code *.json}, {@code *.jsonl},
 * {@code *.json.gz} and {@code *.jsonl.gz} (case-insensitive), sorted by path; other files are skipped with a
 * warning. A file named explicitly is read whatever its name (e.g. an SQS message body saved without extension).
 *
 * <h2>How a file is read</h2>
 * {@link InputDocuments} splits the file into documents, which the unwrapper turns into events:
 * <ul>
 *   <li>Compression: content starting with the gzip magic bytes {@code 1f 8b} is gunzipped, whatever the name;
 *       other content is read as is. Corrupt or truncated gzip data is a dead letter.</li>
 *   <li>Size: at most {@link #MAX_CONTENT_BYTES} of content per file (after decompression). Past that the rest of
 *       the file is dead-lettered as "gzip bomb / too large" (events already read from earlier lines stay).</li>
 *   <li>{@code *.jsonl} / {@code *.jsonl.gz}: streamed one line at a time; each non-blank line is one document with
 *       origin {@code file:line}; a bad line is one dead letter (its parse error names the file's line) and the next
 *       line is read.</li>
 *   <li>Any other name: one JSON document (origin {@code file}). If it holds several JSON values or does not parse
 *       past its first line, but its first two non-blank lines each parse on their own, the file is JSON lines (real
 *       exports name NDJSON {@code .json}) and is read as above. Otherwise a file that does not parse is one dead
 *       letter with the line, column and parser message.</li>
 *   <li>An empty file is one dead letter. I/O errors are dead letters too: {@link #read} never throws.</li>
 * </ul>
 * Not thread-safe (it shares the unwrapper's event counter): use one per thread.
 */
public final class InputFiles {
    /** Most content read from one file, after gzip decompression. */
    public static final long MAX_CONTENT_BYTES = 512L * 1024 * 1024;

    private static final String[] EXTENSIONS = {".json", ".jsonl", ".json.gz", ".jsonl.gz"};

    private final EventUnwrapper unwrapper;
    private final InputDocuments reader;

    public InputFiles(EventUnwrapper unwrapper) {
        this(unwrapper, MAX_CONTENT_BYTES);
    }

    /** For tests: a lower content cap. */
    InputFiles(EventUnwrapper unwrapper, long maxContentBytes) {
        if (unwrapper == null) {
            throw new IllegalArgumentException("unwrapper must not be null");
        }
        this.unwrapper = unwrapper;
        this.reader = new InputDocuments(maxContentBytes);
    }

    /** {@link #list(List, Consumer)} with warnings about skipped files written to standard error. */
    public static List<Path> list(List<Path> paths) throws IOException {
        return list(paths, warning -> System.err.println("warning: " + warning));
    }

    /**
     * The files to read, in order: each argument in the order given; a directory contributes its input files
     * (recursively, sorted by path). A file reached twice is listed once.
     *
     * @throws NoSuchFileException when a path does not exist
     * @throws IllegalArgumentException when a path is neither a regular file nor a directory
     */
    public static List<Path> list(List<Path> paths, Consumer<String> warnings) throws IOException {
        Map<Path, Path> files = new LinkedHashMap<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                for (Path f : walk(p)) {
                    if (isInputFileName(f)) {
                        files.putIfAbsent(f.toAbsolutePath().normalize(), f);
                    } else {
                        warnings.accept("skipping " + f
                                + ": not a .json, .jsonl, .json.gz or .jsonl.gz file");
                    }
                }
            } else if (Files.isRegularFile(p)) {
                files.putIfAbsent(p.toAbsolutePath().normalize(), p);
            } else if (Files.exists(p)) {
                throw new IllegalArgumentException("input is neither a regular file nor a directory: " + p);
            } else {
                throw new NoSuchFileException(p.toString(), null, "input file or directory does not exist");
            }
        }
        return new ArrayList<>(files.values());
    }

    /** True for names ending .json, .jsonl, .json.gz or .jsonl.gz (case-insensitive). */
    public static boolean isInputFileName(Path file) {
        String name = lowerName(file);
        for (String ext : EXTENSIONS) {
            if (name.endsWith(ext)) {
                return true;
            }
        }
        return false;
    }

    /** Reads one file into the sink; bad content and I/O errors become dead letters. */
    public void read(Path file, EventSink sink) {
        Iterator<InputDocument> documents = reader.documents(file.toString(), () -> Files.newInputStream(file));
        while (documents.hasNext()) {
            documents.next().unwrapInto(unwrapper, sink);
        }
    }

    private static List<Path> walk(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String lowerName(Path file) {
        Path name = file.getFileName();
        return name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    }
}

package io.trailguard.rules.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * <ul>
 *   <li>Compression: content starting with the gzip magic bytes {@code 1f 8b} is gunzipped, whatever the name;
 *       other content is read as is. Corrupt or truncated gzip data is a dead letter.</li>
 *   <li>Size: at most {@link #MAX_CONTENT_BYTES} of content per file (after decompression). Past that the rest of
 *       the file is dead-lettered as "gzip bomb / too large" (events already read from earlier lines stay).</li>
 *   <li>{@code *.jsonl} / {@code *.jsonl.gz}: streamed one line at a time; each non-blank line is one document with
 *       origin {@code file:line}; a bad line is one dead letter and the next line is read.</li>
 *   <li>Any other name: one JSON document (origin {@code file}). If it does not parse, but its first two non-blank
 *       lines each parse on their own, the file is JSON lines (real exports name NDJSON {@code .json}) and is read as
 *       above. Otherwise the file is one dead letter with the line, column and parser message.</li>
 *   <li>An empty file is one dead letter. I/O errors are dead letters too: {@link #read} never throws.</li>
 * </ul>
 * Not thread-safe (it shares the unwrapper's event counter): use one per thread.
 */
public final class InputFiles {
    /** Most content read from one file, after gzip decompression. */
    public static final long MAX_CONTENT_BYTES = 512L * 1024 * 1024;

    private static final String[] EXTENSIONS = {".json", ".jsonl", ".json.gz", ".jsonl.gz"};
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int HEAD_BYTES = 1024;

    private final EventUnwrapper unwrapper;
    private final long maxContentBytes;

    public InputFiles(EventUnwrapper unwrapper) {
        this(unwrapper, MAX_CONTENT_BYTES);
    }

    /** For tests: a lower content cap. */
    InputFiles(EventUnwrapper unwrapper, long maxContentBytes) {
        if (unwrapper == null) {
            throw new IllegalArgumentException("unwrapper must not be null");
        }
        if (maxContentBytes <= 0) {
            throw new IllegalArgumentException("maxContentBytes must be positive, got " + maxContentBytes);
        }
        this.unwrapper = unwrapper;
        this.maxContentBytes = maxContentBytes;
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
        String origin = file.toString();
        String name = lowerName(file);
        try {
            if (name.endsWith(".jsonl") || name.endsWith(".jsonl.gz")) {
                readLines(file, origin, sink);
            } else {
                readDocument(file, origin, sink);
            }
        } catch (FileContent.TooLarge e) {
            unwrapper.reject(sink, DeadLetter.of(origin, "gzip bomb / too large: " + e.getMessage(), head(file)));
        } catch (FileContent.CorruptGzip e) {
            unwrapper.reject(sink, DeadLetter.of(origin, e.getMessage(), ""));
        } catch (IOException | UncheckedIOException e) {
            unwrapper.reject(sink, DeadLetter.of(origin, "cannot read file: " + e, ""));
        }
    }

    private void readDocument(Path file, String origin, EventSink sink) throws IOException {
        JsonNode root;
        try (InputStream in = open(file)) {
            root = Json.mapper().readTree(in);
        } catch (JsonProcessingException e) {
            // JSON lines fail as one document at line 2 or later (line 1 parsed); an error on line 1 rules them
            // out without reading a possibly huge first line again.
            boolean pastFirstLine = e.getLocation() != null && e.getLocation().getLineNr() >= 2;
            if (pastFirstLine && looksLikeJsonLines(file)) {
                readLines(file, origin, sink);
            } else {
                unwrapper.reject(sink, DeadLetter.of(origin, EventUnwrapper.invalidJson(e, 0), head(file)));
            }
            return;
        }
        if (root == null || root.isMissingNode()) {
            unwrapper.reject(sink, DeadLetter.of(origin, "empty file: no JSON document", head(file)));
        } else {
            unwrapper.unwrap(root, origin, sink);
        }
    }

    /** One document per non-blank line, streamed; origin {@code file:line}. */
    private void readLines(Path file, String origin, EventSink sink) throws IOException {
        long lineNumber = 0;
        boolean any = false;
        try (BufferedReader r = reader(file)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNumber++;
                if (lineNumber == 1) {
                    line = withoutBom(line);
                }
                if (!line.trim().isEmpty()) {
                    any = true;
                    unwrapper.unwrapLine(line, origin + ":" + lineNumber, lineNumber, sink);
                }
            }
        } catch (FileContent.TooLarge e) {
            throw new FileContent.TooLarge(e.getMessage() + " (read up to line " + lineNumber + ")");
        }
        if (!any) {
            unwrapper.reject(sink, DeadLetter.of(origin, "empty file: no JSON document", ""));
        }
    }

    /** True when the first two non-blank lines each parse as a JSON document of their own. */
    private boolean looksLikeJsonLines(Path file) throws IOException {
        try (BufferedReader r = reader(file)) {
            int parsed = 0;
            boolean first = true;
            String line;
            while (parsed < 2 && (line = r.readLine()) != null) {
                if (first) {
                    line = withoutBom(line);
                    first = false;
                }
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
    }

    /** The start of the file's content, for excerpts; "" when it cannot be read. */
    private String head(Path file) {
        try (InputStream in = open(file)) {
            byte[] buf = new byte[HEAD_BYTES];
            int n = 0;
            int r;
            while (n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0) {
                n += r;
            }
            return new String(buf, 0, n, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private BufferedReader reader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8), BUFFER_BYTES);
    }

    /** The file's content: gunzipped when it starts with the gzip magic bytes, capped at maxContentBytes. */
    private InputStream open(Path file) throws IOException {
        return FileContent.open(Files.newInputStream(file), maxContentBytes, BUFFER_BYTES);
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

    private static String withoutBom(String line) {
        return !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
    }
}

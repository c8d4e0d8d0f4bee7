package io.trailguard.rules.event;

import io.trailguard.rules.event.EventUnwrapperTest.RecordingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InputFilesTest {
    private static final String RECORD_A = "{\"eventVersion\":\"1.08\",\"eventTime\":\"2023-07-10T11:42:05Z\","
            + "\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"CreateUser\",\"eventID\":\"a\"}";
    private static final String RECORD_B = "{\"eventVersion\":\"1.08\",\"eventTime\":\"2023-07-10T11:43:00Z\","
            + "\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"eventID\":\"b\"}";
    private static final String RECORD_C = "{\"eventTime\":\"2023-07-10T11:44:00Z\",\"eventName\":\"StopLogging\","
            + "\"eventID\":\"c\"}";
    private static final String LOG_FILE = "{\"Records\":[" + RECORD_A + "," + RECORD_B + "]}";

    @TempDir
    Path dir;

    private final EventUnwrapper unwrapper = new EventUnwrapper();
    private final InputFiles files = new InputFiles(unwrapper);
    private final RecordingSink sink = new RecordingSink();

    private Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, content);
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(String content) throws IOException {
        return gzip(content.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> eventIds() {
        return sink.events.stream().map(CloudTrailEvent::eventId).collect(Collectors.toList());
    }

    // ---- list ----

    @Test
    void listWalksDirectoriesSortedAndSkipsOtherFilesWithAWarning() throws IOException {
        Path b = write("logs/b.json", LOG_FILE);
        Path a = write("logs/sub/a.jsonl", RECORD_A);
        Path c = write("logs/c.json.gz", gzip(LOG_FILE));
        Path d = write("logs/d.JSONL.GZ", gzip(RECORD_A));
        write("logs/README.md", "# notes");
        write("logs/SQSMessageBody", "{}");
        List<String> warnings = new ArrayList<>();

        List<Path> listed = InputFiles.list(Collections.singletonList(dir.resolve("logs")), warnings::add);

        assertThat(listed).containsExactly(b, c, d, a);
        assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w).startsWith("skipping ")
                .endsWith(": not a .json, .jsonl, .json.gz or .jsonl.gz file"));
        assertThat(warnings.get(0)).contains("README.md");
    }

    @Test
    void listKeepsArgumentOrderReadsExplicitFilesWhateverTheirNameAndDropsDuplicates() throws IOException {
        Path sqs = write("in/SQSMessageBody", "{}");
        Path x = write("in/x.json", LOG_FILE);

        List<Path> listed = InputFiles.list(Arrays.asList(sqs, dir.resolve("in"), x), w -> { });

        assertThat(listed).containsExactly(sqs, x);
    }

    @Test
    void listRejectsAMissingPath() {
        Path missing = dir.resolve("nope.json");

        assertThatThrownBy(() -> InputFiles.list(Collections.singletonList(missing), w -> { }))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("nope.json")
                .hasMessageContaining("does not exist");
    }

    // ---- read: shapes ----

    @Test
    void readsALogFile() throws IOException {
        files.read(write("a.json", LOG_FILE), sink);

        assertThat(eventIds()).containsExactly("a", "b");
        assertThat(sink.deadLetters).isEmpty();
    }

    @Test
    void readsAPrettyPrintedArrayOfRecords() throws IOException {
        files.read(write("stratus.json", "[\n  " + RECORD_A + ",\n  " + RECORD_B + "\n]\n"), sink);

        assertThat(eventIds()).containsExactly("a", "b");
    }

    @Test
    void readsJsonLinesSkippingBlankLinesWithLineOrigins() throws IOException {
        Path f = write("t.jsonl", "\uFEFF" + RECORD_A + "\n\n   \n{\"rule_id\":\"r\",\"event\":" + RECORD_B + "}\n"
                + "{\"broken\":\n" + "7\n" + RECORD_C + "\r\n");

        files.read(f, sink);

        assertThat(eventIds()).containsExactly("a", "b", "c");
        assertThat(sink.deadLetters).extracting(DeadLetter::origin).containsExactly(f + ":5", f + ":6");
        assertThat(sink.deadLetters.get(0).reason()).startsWith("invalid JSON at line 5, column ");
        assertThat(sink.deadLetters.get(0).excerpt()).isEqualTo("{\"broken\":");
        assertThat(sink.deadLetters.get(1).reason()).isEqualTo("not a CloudTrail record: a number, not an object or array");
    }

    @Test
    void readsJsonLinesNamedJson() throws IOException {
        Path f = write("ndjson.json", RECORD_A + "\n" + RECORD_B + "\nnot json\n" + RECORD_C + "\n");

        files.read(f, sink);

        assertThat(eventIds()).containsExactly("a", "b", "c");
        assertThat(sink.onlyDeadLetter().origin()).isEqualTo(f + ":3");
    }

    @Test
    void malformedJsonFileIsOneDeadLetterWithLineAndColumnAndTheNextFileIsRead() throws IOException {
        Path bad = write("bad.json", "{\n  \"Records\": [\n    " + RECORD_A + "\n    " + RECORD_B + "\n  ]\n}\n");
        Path good = write("good.json", LOG_FILE);

        for (Path f : InputFiles.list(Arrays.asList(bad, good), w -> { })) {
            files.read(f, sink);
        }

        DeadLetter d = sink.onlyDeadLetter();
        assertThat(d.origin()).isEqualTo(bad.toString());
        assertThat(d.reason()).startsWith("invalid JSON at line 4, column 5: Unexpected character ('{'")
                .doesNotContain("Source");
        assertThat(d.excerpt()).startsWith("{\\n  \"Records\": [\\n");
        assertThat(eventIds()).containsExactly("a", "b");
    }

    @Test
    void truncatedFileIsOneDeadLetter() throws IOException {
        files.read(write("trunc.json", LOG_FILE.substring(0, LOG_FILE.length() - 30)), sink);

        assertThat(sink.onlyDeadLetter().reason()).startsWith("invalid JSON at line 1, column ")
                .contains("end-of-input");
        assertThat(sink.events).isEmpty();
    }

    @Test
    void emptyFilesAreDeadLettered() throws IOException {
        files.read(write("empty.json", ""), sink);
        files.read(write("blank.json", "  \n\n"), sink);
        files.read(write("empty.jsonl", "\n\n"), sink);

        assertThat(sink.events).isEmpty();
        assertThat(sink.deadLetters).extracting(DeadLetter::reason)
                .containsOnly("empty file: no JSON document").hasSize(3);
    }

    @Test
    void emptyRecordsYieldsNothing() throws IOException {
        files.read(write("none.json", "{\"Records\":[]}"), sink);

        assertThat(sink.events).isEmpty();
        assertThat(sink.deadLetters).isEmpty();
    }

    @Test
    void binaryGarbageIsDeadLettered() throws IOException {
        byte[] garbage = new byte[4096];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 131 + 7);
        }
        files.read(write("garbage.json", garbage), sink);
        files.read(write("garbage.jsonl", garbage), sink);

        assertThat(sink.events).isEmpty();
        assertThat(sink.deadLetters).isNotEmpty()
                .allSatisfy(d -> assertThat(d.excerpt()).doesNotContainPattern("\\p{Cntrl}"));
        assertThat(sink.deadLetters.get(0).origin()).endsWith("garbage.json");
    }

    // ---- gzip ----

    @Test
    void readsGzippedFiles() throws IOException {
        files.read(write("a.json.gz", gzip(LOG_FILE)), sink);
        files.read(write("c.jsonl.gz", gzip(RECORD_C + "\n" + RECORD_A + "\n")), sink);

        assertThat(eventIds()).containsExactly("a", "b", "c", "a");
        assertThat(sink.deadLetters).isEmpty();
    }

    @Test
    void detectsGzipByMagicBytesWhateverTheName() throws IOException {
        files.read(write("really-gzip.json", gzip(LOG_FILE)), sink);

        assertThat(eventIds()).containsExactly("a", "b");
    }

    @Test
    void plainContentNamedGzIsReadAsIs() throws IOException {
        files.read(write("plain.json.gz", LOG_FILE), sink);

        assertThat(eventIds()).containsExactly("a", "b");
    }

    @Test
    void truncatedGzipIsDeadLettered() throws IOException {
        byte[] gz = gzip(LOG_FILE);
        files.read(write("cut.json.gz", Arrays.copyOf(gz, gz.length / 2)), sink);

        assertThat(sink.onlyDeadLetter().reason()).startsWith("corrupt or truncated gzip data: ");
    }

    @Test
    void gzipBombIsDeadLettered() throws IOException {
        byte[] spaces = new byte[4 * 1024 * 1024];
        Arrays.fill(spaces, (byte) ' ');
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write("{\"Records\":[".getBytes(StandardCharsets.UTF_8));
        content.write(spaces);
        content.write((RECORD_A + "]}").getBytes(StandardCharsets.UTF_8));
        byte[] bomb = gzip(content.toByteArray());
        assertThat(bomb.length).as("a small file").isLessThan(32 * 1024);
        InputFiles capped = new InputFiles(unwrapper, 1024 * 1024);

        capped.read(write("bomb.json.gz", bomb), sink);

        DeadLetter d = sink.onlyDeadLetter();
        assertThat(d.reason()).isEqualTo("gzip bomb / too large: content exceeds 1 MiB (after gzip decompression);"
                + " reading stopped there");
        assertThat(d.excerpt()).startsWith("{\"Records\":[   ");
        assertThat(sink.events).isEmpty();
    }

    @Test
    void jsonLinesPastTheCapKeepEarlierEvents() throws IOException {
        int lineCount = 10_000;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < lineCount; i++) {
            lines.append(RECORD_A).append('\n');
        }
        long cap = 512 * 1024;
        InputFiles capped = new InputFiles(unwrapper, cap);

        capped.read(write("many.jsonl.gz", gzip(lines.toString())), sink);

        // the reader reads ahead (up to 64 KiB), so the cap trips a little before the line that crosses it
        long linesUnderCap = cap / (RECORD_A.length() + 1);
        assertThat((long) sink.events.size()).isBetween(linesUnderCap / 2, linesUnderCap);
        assertThat(sink.onlyDeadLetter().reason()).startsWith("gzip bomb / too large: content exceeds ")
                .contains("(read up to line ");
    }

    @Test
    void unreadableFileIsDeadLetteredNotThrown() {
        Path missing = dir.resolve("gone.json");

        files.read(missing, sink);

        assertThat(sink.onlyDeadLetter().reason()).startsWith("cannot read file: java.nio.file.NoSuchFileException");
    }

    @Test
    void eventNumbersContinueAcrossFiles() throws IOException {
        files.read(write("1.json", LOG_FILE), sink);
        files.read(write("2.jsonl", RECORD_C + "\n"), sink);

        assertThat(sink.events).extracting(CloudTrailEvent::number).containsExactly(1L, 2L, 3L);
    }
}

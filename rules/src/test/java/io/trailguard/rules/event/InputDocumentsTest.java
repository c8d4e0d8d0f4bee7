package io.trailguard.rules.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class InputDocumentsTest {
    @TempDir
    Path dir;

    private List<InputDocument> read(String name, byte[] content) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, content);
        List<InputDocument> out = new ArrayList<>();
        new InputDocuments(1024 * 1024).documents(f.toString(), () -> Files.newInputStream(f)).forEachRemaining(out::add);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] gzip(String s) throws Exception {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (OutputStream g = new GZIPOutputStream(b)) {
            g.write(utf8(s));
        }
        return b.toByteArray();
    }

    private static List<String> origins(List<InputDocument> rs, Path dir) {
        return rs.stream().map(r -> r.origin().substring(dir.toString().length() + 1)).collect(Collectors.toList());
    }

    @Test
    void jsonLinesAreOneDocumentPerNonBlankLine() throws Exception {
        List<InputDocument> rs = read("a.jsonl", utf8("\uFEFF{\"a\":1}\n\n  \n{\"b\":2}\nnot json\n"));
        assertThat(origins(rs, dir)).containsExactly("a.jsonl:1", "a.jsonl:4", "a.jsonl:5");
        assertThat(new String(rs.get(0).data(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(rs).allSatisfy(r -> assertThat(r.failure()).isNull());
    }

    @Test
    void otherNamesAreWholeDocumentsUnlessTheyAreJsonLines() throws Exception {
        assertThat(origins(read("log.json", utf8("{\"Records\": [\n{\"a\":1},\n{\"b\":2}\n]}")), dir))
                .containsExactly("log.json");
        assertThat(origins(read("ndjson.json", utf8("{\"a\":1}\n{\"b\":2}\n")), dir))
                .containsExactly("ndjson.json:1", "ndjson.json:2");
        assertThat(origins(read("broken.json", utf8("{\"a\":1,\n\"b\": }")), dir)).containsExactly("broken.json");
    }

    @Test
    void gzipIsDecompressedAndFailuresAreRecords() throws Exception {
        assertThat(origins(read("a.jsonl.gz", gzip("{\"a\":1}\n{\"b\":2}\n")), dir))
                .containsExactly("a.jsonl.gz:1", "a.jsonl.gz:2");
        byte[] truncated = Arrays.copyOf(gzip("{\"Records\":[]}"), 12);
        assertThat(read("t.json.gz", truncated)).singleElement()
                .satisfies(r -> assertThat(r.failure()).startsWith("corrupt or truncated gzip data"));
        assertThat(read("empty.json", new byte[0])).singleElement()
                .satisfies(r -> assertThat(r.failure()).isEqualTo("empty file: no JSON document"));
        assertThat(read("blank.jsonl", utf8("\n \n"))).singleElement()
                .satisfies(r -> assertThat(r.failure()).isEqualTo("empty file: no JSON document"));
        byte[] big = new byte[2 * 1024 * 1024];
        Arrays.fill(big, (byte) ' ');
        assertThat(read("big.json", big)).singleElement()
                .satisfies(r -> assertThat(r.failure()).startsWith("gzip bomb / too large"));
    }

    /**
     * The byte-level line splitter gives what decoding the stream and {@link java.io.BufferedReader#readLine} give
     * (the reference below): the same lines, origins and bytes, for LF, CR and CRLF endings, a byte-order mark,
     * white-space and control-character lines, multi-byte and malformed UTF-8, and lines across buffer boundaries.
     */
    @Test
    void byteLevelLinesEqualDecodedLines() throws Exception {
        java.util.Random random = new java.util.Random(42);
        byte[][] pieces = {utf8("{\"a\":1}"), utf8("\n"), utf8("\r"), utf8("\r\n"), utf8("  \t"), {0x01, 0x1f},
                utf8("\u00e9\u20ac\ud83d\ude00"), {(byte) 0xff}, {(byte) 0xC3}, {(byte) 0xE2, (byte) 0x82},
                utf8("{\"eventName\":\"x\"}"), {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}};
        for (int round = 0; round < 2000; round++) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            if (random.nextInt(4) == 0) {
                b.write(pieces[11]);
            }
            int n = random.nextInt(30);
            for (int i = 0; i < n; i++) {
                b.write(pieces[random.nextInt(pieces.length)]);
            }
            byte[] content = b.toByteArray();
            List<InputDocument> expected = reference(content, "f.jsonl");
            List<InputDocument> actual = new ArrayList<>();
            InputDocuments.LineSplitter s = new InputDocuments.LineSplitter(
                    new java.io.ByteArrayInputStream(content), "f.jsonl", 1 + random.nextInt(8));
            InputDocument r;
            while ((r = s.next()) != null) {
                actual.add(r);
            }
            assertThat(actual).as("round %d: %s", round, Arrays.toString(content)).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i).origin()).isEqualTo(expected.get(i).origin());
                assertThat(actual.get(i).failure()).isEqualTo(expected.get(i).failure());
                assertThat(actual.get(i).data()).as("round %d line %d", round, i).isEqualTo(expected.get(i).data());
            }
        }
    }

    /** Decoding the stream as UTF-8 and reading lines: the definition of a JSON-lines input's documents. */
    private static List<InputDocument> reference(byte[] content, String origin) throws Exception {
        java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.io.ByteArrayInputStream(content), StandardCharsets.UTF_8));
        List<InputDocument> out = new ArrayList<>();
        long lineNumber = 0;
        String line;
        while ((line = r.readLine()) != null) {
            lineNumber++;
            if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (!line.trim().isEmpty()) {
                out.add(InputDocument.line(line.getBytes(StandardCharsets.UTF_8), origin, lineNumber));
            }
        }
        if (out.isEmpty()) {
            out.add(InputDocument.failed(origin, "empty file: no JSON document", null));
        }
        return out;
    }
}

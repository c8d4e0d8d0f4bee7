package io.trailguard.job.replay;

import io.trailguard.job.serde.RawRecord;
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

class DocumentReaderTest {
    @TempDir
    Path dir;

    private List<RawRecord> read(String name, byte[] content) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, content);
        List<RawRecord> out = new ArrayList<>();
        new DocumentReader(1024 * 1024).read(ReplayInput.file(f.toString()), out::add);
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

    private static List<String> origins(List<RawRecord> rs, Path dir) {
        return rs.stream().map(r -> r.origin.substring(dir.toString().length() + 1)).collect(Collectors.toList());
    }

    @Test
    void jsonLinesAreOneDocumentPerNonBlankLine() throws Exception {
        List<RawRecord> rs = read("a.jsonl", utf8("\uFEFF{\"a\":1}\n\n  \n{\"b\":2}\nnot json\n"));
        assertThat(origins(rs, dir)).containsExactly("a.jsonl:1", "a.jsonl:4", "a.jsonl:5");
        assertThat(new String(rs.get(0).data, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(rs).allSatisfy(r -> assertThat(r.failure).isNull());
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
                .satisfies(r -> assertThat(r.failure).startsWith("corrupt or truncated gzip data"));
        assertThat(read("empty.json", new byte[0])).singleElement()
                .satisfies(r -> assertThat(r.failure).isEqualTo("empty file: no JSON document"));
        assertThat(read("blank.jsonl", utf8("\n \n"))).singleElement()
                .satisfies(r -> assertThat(r.failure).isEqualTo("empty file: no JSON document"));
        byte[] big = new byte[2 * 1024 * 1024];
        Arrays.fill(big, (byte) ' ');
        assertThat(read("big.json", big)).singleElement()
                .satisfies(r -> assertThat(r.failure).startsWith("gzip bomb / too large"));
    }
}

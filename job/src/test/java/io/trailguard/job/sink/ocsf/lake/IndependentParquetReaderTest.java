package io.trailguard.job.sink.ocsf.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Security Lake output's Parquet read by a second implementation: hyparquet (pure JavaScript, npm, in {@code
 * src/test/parquet-reader}, installed by {@code .ci/run}) reads the file of every fixture finding and every version of
 * the invictus-ir incident, in each codec {@code lake.compression} offers, and each row must be the finding's JSON, with that codec and the OCSF key-value
 * metadata. parquet-java reading back what parquet-java wrote cannot show an encoding only parquet-java accepts; an
 * Athena or Glue reader is not available offline. Skips when the reader is not installed, unless {@code CI=true},
 * when it fails.
 */
class IndependentParquetReaderTest {
    static final Path READER = Paths.get("src", "test", "parquet-reader");

    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"ZSTD", "SNAPPY", "GZIP"})
    void hyparquetReadsEveryFindingAsWritten(CompressionCodecName codec, @TempDir Path dir) throws Exception {
        requireReader();
        List<ObjectNode> findings = FindingParquetFileTest.sampleFindings();
        Path file = dir.resolve("findings.parquet");
        LakeFormat format = new LakeFormat(codec, LakeFormat.DEFAULT.rowGroupBytes(),
                LakeFormat.DEFAULT.targetObjectBytes());
        try (FindingParquetFile out = FindingParquetFile.create(file, format)) {
            for (ObjectNode f : findings) {
                out.write(f);
            }
        }
        List<String> lines = read(file, dir);
        JsonNode head = JobJson.mapper().readTree(lines.get(0));
        assertThat(head.path("rows").asInt()).isEqualTo(findings.size());
        assertThat(head.path("codecs").toString()).isEqualTo("[\"" + codec.name() + "\"]");
        assertThat(head.path("metadata").path("ocsf.version").asText()).isEqualTo("1.8.0");
        assertThat(head.path("metadata").path("ocsf.class_uid").asText()).isEqualTo("2004");
        assertThat(lines).hasSize(findings.size() + 1);
        for (int i = 0; i < findings.size(); i++) {
            JsonNode row = JobJson.mapper().readTree(lines.get(i + 1));
            assertThat(plain(row)).as("row %d of %s", i, findings.get(i)).isEqualTo(plain(findings.get(i)));
        }
    }

    /** A file the reader must refuse: a truncated one (so a reader that accepts anything would fail this test). */
    @Test
    void aTruncatedFileIsRefused(@TempDir Path dir) throws Exception {
        requireReader();
        Path file = dir.resolve("f.parquet");
        try (FindingParquetFile out = FindingParquetFile.create(file)) {
            out.write(FindingParquetFileTest.sampleFindings().get(0));
        }
        byte[] all = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.parquet");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        Process p = new ProcessBuilder("node", READER.resolve("read.mjs").toString(), cut.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("cut.out").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
    }

    private static void requireReader() {
        if (!Files.isDirectory(READER.resolve("node_modules").resolve("hyparquet"))) {
            String why = "hyparquet is not installed in " + READER.toAbsolutePath().normalize()
                    + " (npm ci --prefix job/src/test/parquet-reader)";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(why);
            }
            Assumptions.abort(why);
        }
    }

    private static List<String> read(Path file, Path dir) throws Exception {
        Path out = dir.resolve("read.out");
        Path err = dir.resolve("read.err");
        Process p = new ProcessBuilder("node", READER.resolve("read.mjs").toString(), file.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("node read.mjs finished").isTrue();
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    /**
     * JSON as plain maps and lists, without null members (a Parquet optional column has no null-versus-absent), the
     * numbers as the text parser reads them (5 as an int and as a long compare equal).
     */
    private static Object plain(JsonNode n) throws Exception {
        JsonNode copy = n.deepCopy();
        dropNulls(copy);
        return JobJson.mapper().readValue(JobJson.write(copy), Object.class);
    }

    private static void dropNulls(JsonNode n) {
        if (n.isObject()) {
            List<String> nulls = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNull()) {
                    nulls.add(e.getKey());
                } else {
                    dropNulls(e.getValue());
                }
            }
            ((ObjectNode) n).remove(nulls);
        } else if (n.isArray()) {
            n.forEach(IndependentParquetReaderTest::dropNulls);
        }
    }
}

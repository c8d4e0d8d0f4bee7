package io.trailguard.job.sink.ocsf.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import io.trailguard.job.sink.aws.FindingMapper;
import io.trailguard.rules.engine.FindingTimes;
import io.trailguard.job.sink.ocsf.DetectionFindingMapper;
import io.trailguard.job.sink.ocsf.DetectionFindingSchemaTest;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.fixtures.FixtureResult;
import io.trailguard.rules.fixtures.FixtureRunner;
import io.trailguard.rules.incident.EvidenceOf;
import io.trailguard.rules.incident.IncidentCorrelator;
import io.trailguard.rules.incident.SubjectActor;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Parquet encoding of the findings: every finding the bundled fixtures and the invictus-ir incident produce is
 * written and read back (by parquet's own record assembly) as the same JSON; the file is ZSTD-compressed and says
 * its OCSF version and class; every column has the type the vendored OCSF 1.8.0 dictionary gives its attribute; an
 * attribute without a column is refused rather than dropped.
 */
class FindingParquetFileTest {
    private static final Path DICTIONARY =
            Paths.get("src", "test", "resources", DetectionFindingSchemaTest.SCHEMA, "dictionary.json");
    private final DetectionFindingMapper mapper = new DetectionFindingMapper("0.0.0-test");

    static List<ObjectNode> sampleFindings() throws Exception {
        DetectionFindingMapper mapper = new DetectionFindingMapper("0.0.0-test");
        List<ObjectNode> out = new ArrayList<>();
        long now = 1_800_000_000_000L;
        for (FixtureResult r : FixtureRunner.runBundled()) {
            for (Alert a : r.alerts()) {
                out.add(mapper.map(a, FindingTimes.at(now++)));
            }
        }
        List<Alert> invictus = DetectionFindingSchemaTest.invictusAlerts();
        LoadResult rules = RuleLoader.load(RuleLoader.bundledPacks(), LoadOptions.defaults());
        for (Alert v : new IncidentCorrelator(rules.incidentPolicy(),
                new EvidenceOf(SubjectActor.INSTANCE, FindingMapper::findingId)).incidents(invictus)) {
            out.add(mapper.map(v, new FindingTimes(now, now + v.incident().version())));
        }
        return out;
    }

    @Test
    void everyFindingReadsBackAsWritten(@TempDir Path dir) throws Exception {
        List<ObjectNode> findings = sampleFindings();
        assertThat(findings).hasSizeGreaterThan(150);
        assertThat(findings).anyMatch(f -> f.path("finding_info").has("related_events"));
        Path file = dir.resolve("f.parquet");
        try (FindingParquetFile out = FindingParquetFile.create(file)) {
            for (ObjectNode f : findings) {
                out.write(f);
            }
            assertThat(out.count()).isEqualTo(findings.size());
        }
        ParquetFindings back = ParquetFindings.read(file);
        assertThat(back.findings).hasSize(findings.size());
        for (int i = 0; i < findings.size(); i++) {
            assertThat(plain(back.findings.get(i))).as(findings.get(i).toString()).isEqualTo(plain(findings.get(i)));
        }
        assertThat(back.codecs).containsExactly(CompressionCodecName.ZSTD);
        assertThat(back.metadata).containsEntry("ocsf.version", "1.8.0").containsEntry("ocsf.class_uid", "2004");
        assertThat(back.schema).isEqualTo(FindingParquetSchema.get());
    }

    /**
     * Each configurable compression writes pages every reader can read (parquet-java's reader with the codec named in
     * the footer) back to the same findings; a small row-group size gives several row groups.
     */
    @ParameterizedTest
    @EnumSource(value = CompressionCodecName.class, names = {"ZSTD", "SNAPPY", "GZIP"})
    void everyCompressionReadsBackAsWritten(CompressionCodecName codec, @TempDir Path dir) throws Exception {
        List<ObjectNode> findings = sampleFindings();
        Path file = dir.resolve("f.parquet");
        LakeFormat format = LakeFormat.of(codec.name().toLowerCase(java.util.Locale.ROOT), "16kb", "1gb");
        try (FindingParquetFile out = FindingParquetFile.create(file, format)) {
            for (ObjectNode f : findings) {
                out.write(f);
            }
        }
        ParquetFindings back = ParquetFindings.read(file);
        assertThat(back.codecs).containsExactly(codec);
        assertThat(back.rowGroups).as("16 KiB row groups").isGreaterThan(1);
        assertThat(back.findings).hasSize(findings.size());
        for (int i = 0; i < findings.size(); i++) {
            assertThat(plain(back.findings.get(i))).isEqualTo(plain(findings.get(i)));
        }
        Path big = dir.resolve("g.parquet");
        try (FindingParquetFile out = FindingParquetFile.create(big, LakeFormat.DEFAULT)) {
            for (ObjectNode f : findings) {
                out.write(f);
            }
        }
        assertThat(ParquetFindings.read(big).rowGroups).as("the default 128 MiB").isEqualTo(1);
    }

    @Test
    void theFormatSettingsAreChecked() {
        assertThat(LakeFormat.of("snappy", "64mb", "1gb").rowGroupBytes()).isEqualTo(64L << 20);
        assertThat(LakeFormat.of("GZIP", "512kb", "300000").targetObjectBytes()).isEqualTo(300000);
        assertThatThrownBy(() -> LakeFormat.of("lz4", "64mb", "1gb")).hasMessageContaining("lake.compression");
        assertThatThrownBy(() -> LakeFormat.of("uncompressed", "64mb", "1gb"))
                .hasMessageContaining("lake.compression");
        assertThatThrownBy(() -> LakeFormat.of("zstd", "64 apples", "1gb"))
                .hasMessageContaining("lake.row_group_size");
        assertThatThrownBy(() -> LakeFormat.of("zstd", "4gb", "1gb")).hasMessageContaining("lake.row_group_size");
        assertThatThrownBy(() -> LakeFormat.of("zstd", "64mb", "10")).hasMessageContaining("lake.target_object_size");
    }

    /** JSON as plain maps and lists (parsed from text, so 5 as an int and 5 as a long compare equal). */
    private static Object plain(JsonNode n) throws Exception {
        return JobJson.mapper().readValue(JobJson.write(n), Object.class);
    }

    @Test
    void anAttributeWithoutAColumnIsRefused(@TempDir Path dir) throws Exception {
        List<ObjectNode> samples = sampleFindings();
        ObjectNode unknown = samples.get(0).deepCopy();
        ((ObjectNode) unknown.path("finding_info")).put("product_uid", "x");
        ObjectNode wrongType = samples.get(1).deepCopy();
        ((ObjectNode) wrongType.path("cloud")).put("region", 7);
        Path file = dir.resolve("f.parquet");
        try (FindingParquetFile out = FindingParquetFile.create(file)) {
            assertThatThrownBy(() -> out.write(unknown)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("finding_info.product_uid");
            assertThatThrownBy(() -> out.write(wrongType)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cloud.region");
            out.write(samples.get(2)); // a refused finding leaves the file usable
        }
        assertThat(ParquetFindings.read(file).findings).hasSize(1);
    }

    @Test
    void everyColumnHasTheTypeOfItsOcsfAttribute() throws Exception {
        JsonNode dictionary = JobJson.mapper().readTree(DICTIONARY.toFile());
        List<String> checked = new ArrayList<>();
        columns(FindingParquetSchema.get(), "", dictionary, checked);
        assertThat(checked).hasSizeGreaterThan(100).contains("time", "finding_info.attacks[].technique.uid",
                "unmapped");
    }

    private static void columns(GroupType group, String path, JsonNode dictionary, List<String> checked) {
        for (Type t : group.getFields()) {
            String name = t.getName();
            JsonNode attribute = dictionary.path("attributes").path(name);
            assertThat(attribute.isMissingNode()).as("%s%s is an OCSF attribute", path, name).isFalse();
            boolean list = !t.isPrimitive()
                    && t.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation;
            assertThat(list).as("%s%s is a LIST exactly when OCSF makes it an array", path, name)
                    .isEqualTo(attribute.path("is_array").asBoolean(false));
            Type value = list ? FindingWriteSupport.elementType(t.asGroupType()) : t;
            String type = base(dictionary, attribute.path("type").asText());
            String at = path + name + (list ? "[]" : "");
            if (value.isPrimitive()) {
                assertThat(primitive(value.asPrimitiveType())).as("%s (%s)", at, attribute.path("type").asText())
                        .isEqualTo(expected(type));
            } else {
                assertThat(type).as("%s is an OCSF object", at).doesNotEndWith("_t");
                columns(value.asGroupType(), at + ".", dictionary, checked);
            }
            checked.add(at);
        }
    }

    private static String base(JsonNode dictionary, String type) {
        JsonNode types = dictionary.path("types").path("attributes");
        String t = type;
        while (types.path(t).has("type")) {
            t = types.path(t).path("type").asText();
        }
        return t;
    }

    private static String expected(String ocsfBase) {
        Map<String, String> m = Map.of("integer_t", "INT32", "long_t", "INT64", "boolean_t", "BOOLEAN",
                "float_t", "DOUBLE", "string_t", "BINARY STRING", "object", "BINARY JSON");
        return m.getOrDefault(ocsfBase, "no Parquet type for " + ocsfBase);
    }

    private static String primitive(PrimitiveType p) {
        LogicalTypeAnnotation l = p.getLogicalTypeAnnotation();
        return p.getPrimitiveTypeName() + (l == null ? "" : " " + l.toString());
    }
}

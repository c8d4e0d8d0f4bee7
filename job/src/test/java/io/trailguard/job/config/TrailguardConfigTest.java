package io.trailguard.job.config;

import io.trailguard.rules.engine.MatchingMode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrailguardConfigTest {

    @Test
    void defaults() {
        TrailguardConfig c = TrailguardConfig.empty().with("events.stream", "events").with("aws.region", "eu-west-1");
        assertThat(c.outOfOrderness()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.dedupHorizon()).isEqualTo(Duration.ofHours(1));
        assertThat(c.idleness()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.checkpointInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.matching()).isEqualTo(MatchingMode.ALL);
        assertThat(c.outputs()).containsExactly("stdout");
        assertThat(c.deadLetterOutput()).isEqualTo("log");
        assertThat(c.eventsInitialPosition()).isEqualTo("LATEST");
        assertThat(c.controlInitialPosition()).isEqualTo("TRIM_HORIZON");
        assertThat(c.controlStream()).isNull();
        assertThat(c.rulesPath()).isEmpty();
    }

    @Test
    void propertyGroupsMapToKeys() {
        Map<String, Properties> groups = new LinkedHashMap<>();
        Properties main = new Properties();
        main.setProperty("dedup.horizon", "2h");
        main.setProperty("outputs", "stdout,file:/tmp/a.jsonl");
        groups.put("trailguard", main);
        Properties events = new Properties();
        events.setProperty("stream", "arn:aws:kinesis:eu-central-1:123456789012:stream/ct-events");
        groups.put("events", events);
        Properties other = new Properties();
        other.setProperty("whatever", "1");
        groups.put("SomethingElse", other);
        List<String> warnings = new ArrayList<>();
        TrailguardConfig c = TrailguardConfig.empty()
                .withAll(TrailguardConfig.fromPropertyGroups(groups, warnings::add), "groups");
        assertThat(c.dedupHorizon()).isEqualTo(Duration.ofHours(2));
        assertThat(c.outputs()).containsExactly("stdout", "file:/tmp/a.jsonl");
        assertThat(c.eventsStream().name()).isEqualTo("ct-events");
        assertThat(c.region()).isEqualTo("eu-central-1");
        assertThat(warnings).singleElement().asString().contains("SomethingElse.whatever");
    }

    @Test
    void laterLayersWinAndUnknownKeysAreErrors() {
        TrailguardConfig c = TrailguardConfig.empty().with("rules.matching", "first")
                .withAll(Map.of("rules.matching", "all", "kinesis.flink.shard.getrecords.intervalmillis", "50"), "x");
        assertThat(c.matching()).isEqualTo(MatchingMode.ALL);
        assertThat(c.kinesisProperties()).containsEntry("flink.shard.getrecords.intervalmillis", "50");
        assertThatThrownBy(() -> c.with("dedup.horizn", "1h")).hasMessageContaining("unknown configuration key");
        assertThatThrownBy(() -> c.with("dedup.horizon", "soon").dedupHorizon())
                .hasMessageContaining("dedup.horizon");
        assertThatThrownBy(() -> c.with("events.initial_position", "EARLIEST").eventsInitialPosition())
                .hasMessageContaining("LATEST, TRIM_HORIZON or AT_TIMESTAMP");
        assertThatThrownBy(() -> TrailguardConfig.empty().eventsStream()).hasMessageContaining("events.stream");
    }

    @Test
    void durationsAndStreamRefs() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("15 min")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Durations.parse("PT15M")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("90 SEC")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("1H")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("pt1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("P2D")).isEqualTo(Duration.ofDays(2));
        assertThatThrownBy(() -> Durations.parse("1w")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Durations.parse("1.5h")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Durations.parse("fortnight")).isInstanceOf(IllegalArgumentException.class);
        StreamRef arn = StreamRef.parse("arn:aws:kinesis:us-east-1:000000000000:stream/events");
        assertThat(arn.name()).isEqualTo("events");
        assertThat(arn.region()).isEqualTo("us-east-1");
        assertThat(StreamRef.parse("control").region()).isNull();
        assertThatThrownBy(() -> StreamRef.parse("arn:aws:s3:::bucket")).isInstanceOf(IllegalArgumentException.class);
        assertThat(TrailguardConfig.empty().with("aws.endpoint", "http://localhost:4568").region())
                .isIn("us-east-1", System.getenv("AWS_REGION"), System.getenv("AWS_DEFAULT_REGION"));
    }

    /**
     * {@link ConfigKey} is the one defaults table: CONFIGURATION.md shows exactly its rows, in its order, each with
     * its default, its {@code run} flag and its description.
     */
    @Test
    void configurationMdShowsTheKeyTableRowForRow() throws Exception {
        List<String> doc = Files.readAllLines(Paths.get("CONFIGURATION.md"), java.nio.charset.StandardCharsets.UTF_8);
        int header = doc.indexOf("| Key | Default | `run` flag | Description |");
        assertThat(header).as("the key table of CONFIGURATION.md").isNotNegative();
        assertThat(doc.get(header + 1)).isEqualTo("|---|---|---|---|");
        List<String> rows = new ArrayList<>();
        for (int i = header + 2; i < doc.size() && doc.get(i).startsWith("|"); i++) {
            rows.add(doc.get(i));
        }
        List<String> expected = new ArrayList<>();
        for (ConfigKey k : ConfigKey.values()) {
            expected.add("| " + code(k.key()) + " | " + code(k.defaultValue()) + " | " + code(k.flag()) + " | "
                    + k.description() + " |");
        }
        assertThat(rows).containsExactlyElementsOf(expected);
    }

    @Test
    void codeDefaultsComeFromTheKeyTable() {
        assertThat(io.trailguard.job.pipeline.PipelineSettings.DEFAULT_DEDUP_HORIZON)
                .isEqualTo(TrailguardConfig.empty().dedupHorizon());
        assertThat(io.trailguard.job.pipeline.PipelineSettings.DEFAULT_OUT_OF_ORDERNESS)
                .isEqualTo(TrailguardConfig.empty().outOfOrderness());
        assertThat(io.trailguard.job.pipeline.PipelineSettings.DEFAULT_IDLENESS)
                .isEqualTo(TrailguardConfig.empty().idleness());
        assertThat(io.trailguard.job.pipeline.PipelineSettings.DEFAULT_ALLOWED_LATENESS)
                .isEqualTo(TrailguardConfig.empty().duration(ConfigKey.RATE_ALLOWED_LATENESS));
        assertThat(io.trailguard.job.pipeline.PipelineSettings.DEFAULT_FINDING_TIMES_TTL)
                .isEqualTo(TrailguardConfig.empty().duration(ConfigKey.FINDINGS_TIMES_TTL));
        assertThat(io.trailguard.job.pipeline.PipelineSettings.DEFAULT_CHUNK_TIMEOUT)
                .isEqualTo(TrailguardConfig.empty().duration(ConfigKey.BUNDLES_CHUNK_TIMEOUT));
        assertThat(io.trailguard.job.sink.aws.RetryPolicy.DEFAULT_MAX_BACKOFF_MS)
                .isEqualTo(TrailguardConfig.empty().duration(ConfigKey.SINK_RETRY_MAX_BACKOFF).toMillis());
        assertThat(io.trailguard.job.sink.aws.RetryPolicy.DEFAULT_REPORT_INTERVAL_MS)
                .isEqualTo(TrailguardConfig.empty().duration(ConfigKey.SINK_RETRY_REPORT_INTERVAL).toMillis());
        assertThat(io.trailguard.job.sink.aws.SecurityHubSink.DEFAULT_FLUSH_MS)
                .isEqualTo(TrailguardConfig.empty().duration(ConfigKey.SECURITYHUB_FLUSH).toMillis());
        assertThat(io.trailguard.job.sink.aws.CloudWatchLogsSink.DEFAULT_FLUSH_MS)
                .isEqualTo(TrailguardConfig.empty().duration(ConfigKey.CLOUDWATCH_FLUSH).toMillis());
        assertThat(io.trailguard.job.sink.aws.CloudWatchLogsSink.DEFAULT_STREAM_PREFIX)
                .isEqualTo(TrailguardConfig.empty().get(ConfigKey.CLOUDWATCH_LOG_STREAM_PREFIX));
    }

    private static String code(String value) {
        return value == null || value.isEmpty() ? "" : "`" + value + "`";
    }
}

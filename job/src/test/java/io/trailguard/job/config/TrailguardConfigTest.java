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
        assertThatThrownBy(() -> Durations.parse("fortnight")).isInstanceOf(IllegalArgumentException.class);
        StreamRef arn = StreamRef.parse("arn:aws:kinesis:us-east-1:000000000000:stream/events");
        assertThat(arn.name()).isEqualTo("events");
        assertThat(arn.region()).isEqualTo("us-east-1");
        assertThat(StreamRef.parse("control").region()).isNull();
        assertThatThrownBy(() -> StreamRef.parse("arn:aws:s3:::bucket")).isInstanceOf(IllegalArgumentException.class);
        assertThat(TrailguardConfig.empty().with("aws.endpoint", "http://localhost:4568").region())
                .isIn("us-east-1", System.getenv("AWS_REGION"), System.getenv("AWS_DEFAULT_REGION"));
    }

    @Test
    void configurationMdDocumentsEveryKey() throws Exception {
        String doc = new String(Files.readAllBytes(Paths.get("CONFIGURATION.md")), java.nio.charset.StandardCharsets.UTF_8);
        for (ConfigKey k : ConfigKey.values()) {
            assertThat(doc).as("CONFIGURATION.md row for " + k.key()).contains("| `" + k.key() + "` |");
        }
    }
}

package io.trailguard.job.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.TestEvents;
import io.trailguard.job.TestRules;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.TrailguardConfig;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A quiet stream never switches rate rules off: the job on kinesis-local (two shards, parallelism 2) with a short
 * idleness sees live events, then nothing for several idleness timeouts, then a live burst of console logins. The
 * burst rule fires, no event is dead-lettered as late, and a window-end (digest) rule over the burst fires while the
 * stream stays quiet, once event time has passed its window's end.
 */
class QuietStreamTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static final Duration IDLENESS = Duration.ofSeconds(2);
    static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(2);
    static final long WINDOW_SECONDS = 10;

    static final String RULES = "- rule: Login Burst\n  desc: d\n  condition: ct.name = \"ConsoleLogin\"\n"
            + "  aggregate:\n    type: event_count\n    group_by: [ct.srcip]\n    timespan: 5m\n    gte: 5\n"
            + "  output: '%aggregate.count logins from %ct.srcip'\n  priority: WARNING\n  source: aws_cloudtrail\n"
            + "- rule: Login Digest\n  desc: d\n  condition: ct.name = \"ConsoleLogin\"\n"
            + "  aggregate:\n    type: event_count\n    group_by: [ct.srcip]\n    timespan: " + WINDOW_SECONDS + "s\n"
            + "    gte: 1\n    lte: 10000\n"
            + "  output: '%aggregate.count logins from %ct.srcip in the window'\n  priority: INFORMATIONAL\n"
            + "  source: aws_cloudtrail\n";

    @Test
    void aLiveBurstAfterAQuietGapFiresAndAWindowEndRuleFiresOnTheQuietStream(@TempDir Path dir) throws Exception {
        try (KinesisLocal kinesis = KinesisLocal.start("events:2", Collections.singletonList("events"));
             KinesisClient client = kinesis.client()) {
            TrailguardConfig config = KinesisJobHarness.config(kinesis, "events", null, dir)
                    .with("event_time.idleness", IDLENESS.getSeconds() + "s")
                    .with("event_time.out_of_orderness", OUT_OF_ORDERNESS.getSeconds() + "s");
            RuleBundle rules = TestRules.basePlus("quiet", "rate.yaml", RULES);
            JobClient job = KinesisJobHarness.start(config, rules, "quiet");
            Path alerts = dir.resolve("alerts.jsonl");
            try {
                // live traffic first, so that every instance has an event clock
                List<ObjectNode> warmUp = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    warmUp.add(login("warm-" + i, "192.0.2.1"));
                }
                KinesisJobHarness.putEvents(client, "events", warmUp);
                KinesisJobHarness.await("warm-up digest", () -> rule(alerts, "Login Digest").size() == 1);

                Thread.sleep(IDLENESS.multipliedBy(5).toMillis()); // quiet: five idleness timeouts

                List<ObjectNode> burst = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    burst.add(login("burst-" + i, "203.0.113.9"));
                }
                Instant burstAt = Instant.now();
                KinesisJobHarness.putEvents(client, "events", burst);
                KinesisJobHarness.await("burst alert after the quiet gap",
                        () -> rule(alerts, "Login Burst").stream()
                                .anyMatch(a -> a.get("output").asText().contains("203.0.113.9")));
                KinesisJobHarness.await("digest of the burst window on the quiet stream",
                        () -> rule(alerts, "Login Digest").stream()
                                .anyMatch(a -> a.get("output").asText().contains("203.0.113.9")));
                long seconds = Duration.between(burstAt, Instant.now()).getSeconds();
                List<String> late = KinesisJobHarness.lines(dir.resolve("dead-letters.jsonl")).stream()
                        .map(JsonNode::toString).filter(l -> l.contains("late")).collect(Collectors.toList());
                assertThat(late).as("late dead letters").isEmpty();
                JsonNode digest = rule(alerts, "Login Digest").stream()
                        .filter(a -> a.get("output").asText().contains("203.0.113.9")).findFirst().get();
                assertThat(digest.get("aggregate").get("count").asLong()).isEqualTo(6);
                System.out.printf("quiet stream: burst fired; its %d s window-end digest arrived %d s after the "
                        + "burst (out-of-orderness %d s + idleness %d s)%n", WINDOW_SECONDS, seconds,
                        OUT_OF_ORDERNESS.getSeconds(), IDLENESS.getSeconds());
            } finally {
                KinesisJobHarness.stop(job);
            }
            assertThat(Files.exists(alerts)).isTrue();
        }
    }

    static ObjectNode login(String id, String ip) {
        ObjectNode r = TestEvents.record("signin.amazonaws.com", "ConsoleLogin", id,
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        r.put("sourceIPAddress", ip);
        return r;
    }

    static List<JsonNode> rule(Path alerts, String name) {
        return KinesisJobHarness.alertLines(alerts).stream().filter(a -> a.get("rule").asText().equals(name))
                .collect(Collectors.toList());
    }
}

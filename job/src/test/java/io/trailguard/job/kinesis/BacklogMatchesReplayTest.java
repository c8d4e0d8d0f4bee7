package io.trailguard.job.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.TestEvents;
import io.trailguard.job.TestRules;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.cli.Main;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.serde.JobJson;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backlog of real CloudTrail records on two shards, read from {@code TRIM_HORIZON} by the streaming job, gives
 * exactly the alerts {@code replay} gives for the same records: every single-event alert (rule and eventID) and every
 * rate alert (rule, group and count), and no event is dead-lettered as late. The backlog is the project's copy of
 * the invictus-ir attack hour three times over (fresh eventIDs, each copy an hour later), so it spans about three
 * hours of event time, many times the out-of-orderness: a shard read ahead of the other would make the other's
 * events hours late.
 */
class BacklogMatchesReplayTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static final Path INVICTUS = Paths.get("..", "rules", "fixtures", "data", "invictus");
    static final int COPIES = 3;
    /** Harmless records after the backlog, enough to reach every evaluator instance through the rebalance. */
    static final int TICKS = 20;

    @Test
    void aBacklogReadFromTrimHorizonOnTwoShardsGivesTheAlertsOfReplay(@TempDir Path dir) throws Exception {
        List<ObjectNode> records = backlog();
        Path input = dir.resolve("backlog.jsonl");
        Files.write(input, records.stream().map(JobJson::write).collect(Collectors.toList()), StandardCharsets.UTF_8);

        List<JsonNode> replayed = replay(input);
        assertThat(replayed).as("replay alerts").hasSizeGreaterThan(50);
        assertThat(rateAlerts(replayed)).as("rate alerts in replay").isNotEmpty();

        try (KinesisLocal kinesis = KinesisLocal.start("events:2", Collections.singletonList("events"));
             KinesisClient client = kinesis.client()) {
            List<String> shards = KinesisJobHarness.putEvents(client, "events", records);
            assertThat(new HashSet<>(shards)).as("records on both shards").hasSize(2);

            Path out = dir.resolve("job");
            Files.createDirectories(out);
            TrailguardConfig config = KinesisJobHarness.config(kinesis, "events", null, out)
                    .with("event_time.idleness", "3s");
            RuleBundle rules = TestRules.bundled();
            JobClient job = KinesisJobHarness.start(config, rules, "backlog");
            try {
                Path alerts = out.resolve("alerts.jsonl");
                Set<String> expectedSingle = singleAlerts(replayed);
                KinesisJobHarness.await("every single-event alert of replay", Duration.ofSeconds(120),
                        () -> new HashSet<>(singleAlerts(KinesisJobHarness.alertLines(alerts)))
                                .containsAll(expectedSingle));
                List<String> expectedRate = rateAlerts(replayed);
                try {
                    KinesisJobHarness.await("every rate alert of replay", Duration.ofSeconds(120),
                            () -> containsAllWithRepeats(rateAlerts(KinesisJobHarness.alertLines(alerts)),
                                    expectedRate));
                    Thread.sleep(3000); // anything extra would show up by now: the input is fully read
                } catch (AssertionError timedOut) {
                    // the comparison below names what is missing
                }

                List<JsonNode> streamed = KinesisJobHarness.alertLines(alerts);
                List<String> streamedSingle = streamed.stream().filter(a -> !a.has("aggregate") && !a.has("incident"))
                        .map(BacklogMatchesReplayTest::singleKey).collect(Collectors.toList());
                assertThat(streamedSingle).as("single-event alerts, each once").doesNotHaveDuplicates();
                assertThat(new HashSet<>(streamedSingle)).isEqualTo(expectedSingle);
                assertThat(rateAlerts(streamed)).as("rate alerts: rule, group, count").isEqualTo(expectedRate);
                // incidents: replay prints each once, in its last version; the streaming job updates it in place,
                // so its last version per id must be the same incident (id, members)
                assertThat(lastIncidents(streamed)).as("incidents: id and members").isEqualTo(lastIncidents(replayed))
                        .isNotEmpty();
                List<String> late = KinesisJobHarness.lines(out.resolve("dead-letters.jsonl")).stream()
                        .map(JsonNode::toString).filter(l -> l.contains("late event")).collect(Collectors.toList());
                assertThat(late).as("late dead letters").isEmpty();
                System.out.printf("backlog: %d records on 2 shards; replay and run: %d single-event alerts, "
                                + "%d rate alerts, 0 late%n", records.size(), expectedSingle.size(),
                        expectedRate.size());
            } finally {
                KinesisJobHarness.stop(job);
            }
        }
    }

    /**
     * The invictus records {@value #COPIES} times, copy {@code k} with eventIDs suffixed {@code -k} and times
     * {@code k} hours later, sorted by event time; then {@value #TICKS} harmless records three hours after the last,
     * as live traffic after the backlog would be, so that event time passes every window's end in both runs.
     */
    static List<ObjectNode> backlog() throws Exception {
        List<ObjectNode> originals = new ArrayList<>();
        try (Stream<Path> files = Files.list(INVICTUS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList())) {
                JsonNode doc = JobJson.mapper().readTree(f.toFile());
                for (JsonNode r : doc.get("Records")) {
                    originals.add((ObjectNode) r);
                }
            }
        }
        assertThat(originals).as("invictus records in " + INVICTUS).hasSizeGreaterThan(700);
        List<ObjectNode> out = new ArrayList<>();
        for (int k = 0; k < COPIES; k++) {
            for (ObjectNode r : originals) {
                ObjectNode c = r.deepCopy();
                c.put("eventID", r.get("eventID").asText() + "-" + k);
                c.put("eventTime", Instant.parse(r.get("eventTime").asText()).plus(Duration.ofHours(k)).toString());
                out.add(c);
            }
        }
        out.sort(Comparator.comparing((ObjectNode r) -> Instant.parse(r.get("eventTime").asText()))
                .thenComparing(r -> r.get("eventID").asText()));
        Instant last = Instant.parse(out.get(out.size() - 1).get("eventTime").asText());
        for (int i = 0; i < TICKS; i++) {
            ObjectNode tick = TestEvents.record("sts.amazonaws.com", "GetCallerIdentity", "tick-" + i,
                    last.plus(Duration.ofHours(3)).plusSeconds(i).toString());
            tick.put("readOnly", true);
            out.add(tick);
        }
        return out;
    }

    /** The alert lines {@code replay --input FILE} prints with the bundled rules. */
    static List<JsonNode> replay(Path input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"replay", "--input", input.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<JsonNode> alerts = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                alerts.add(JobJson.mapper().readTree(line));
            }
        }
        return alerts;
    }

    /** Incident id to its members ({@code time rule event_id}), from the highest version of each incident. */
    /**
     * The last version of each incident: its members by time, rule and event id, except the rate alerts among them,
     * which count by rule only (sorted after the others): a streaming burst may anchor on another event of the same
     * burst than replay does, with the same rule, group and count (compared above).
     */
    static java.util.Map<String, List<String>> lastIncidents(List<JsonNode> alerts) {
        Set<String> rateRules = new HashSet<>();
        for (JsonNode a : alerts) {
            if (a.has("aggregate")) {
                rateRules.add(a.get("rule").asText());
            }
        }
        java.util.Map<String, JsonNode> last = new TreeMap<>();
        for (JsonNode a : alerts) {
            JsonNode i = a.get("incident");
            if (i != null) {
                JsonNode known = last.get(i.get("id").asText());
                if (known == null || known.get("version").asInt() < i.get("version").asInt()) {
                    last.put(i.get("id").asText(), i);
                }
            }
        }
        java.util.Map<String, List<String>> out = new TreeMap<>();
        for (java.util.Map.Entry<String, JsonNode> e : last.entrySet()) {
            List<String> members = new ArrayList<>();
            List<String> rateMembers = new ArrayList<>();
            for (JsonNode m : e.getValue().get("members")) {
                String rule = m.get("rule").asText();
                if (rateRules.contains(rule)) {
                    rateMembers.add("rate alert " + rule);
                } else {
                    members.add(m.get("time").asText() + " " + rule + " " + m.get("event_id").asText());
                }
            }
            rateMembers.sort(null);
            members.addAll(rateMembers);
            out.put(e.getKey(), members);
        }
        return out;
    }

    /** True when {@code have} holds every element of {@code want} at least as often. */
    static boolean containsAllWithRepeats(List<String> have, List<String> want) {
        List<String> rest = new ArrayList<>(have);
        for (String w : want) {
            if (!rest.remove(w)) {
                return false;
            }
        }
        return true;
    }

    static String singleKey(JsonNode a) {
        return a.get("rule").asText() + "@" + a.get("event_id").asText();
    }

    static Set<String> singleAlerts(List<JsonNode> alerts) {
        return alerts.stream().filter(a -> !a.has("aggregate") && !a.has("incident"))
                .map(BacklogMatchesReplayTest::singleKey).collect(Collectors.toSet());
    }

    /** {@code rule | group | count} of every rate alert, sorted (a multiset). */
    static List<String> rateAlerts(List<JsonNode> alerts) {
        List<String> keys = new ArrayList<>();
        for (JsonNode a : alerts) {
            JsonNode agg = a.get("aggregate");
            if (agg == null) {
                continue;
            }
            TreeMap<String, String> group = new TreeMap<>();
            for (Iterator<String> it = agg.path("group").fieldNames(); it.hasNext(); ) {
                String k = it.next();
                group.put(k, agg.get("group").get(k).asText());
            }
            keys.add(a.get("rule").asText() + " | " + group + " | " + agg.path("count").asText());
        }
        Collections.sort(keys);
        return keys;
    }
}

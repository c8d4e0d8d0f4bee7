package io.trailguard.rules.robustness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.event.EventSink;
import io.trailguard.rules.event.EventUnwrapper;
import io.trailguard.rules.event.Json;
import io.trailguard.rules.field.EvaluationContext;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.RuleSource;
import io.trailguard.rules.testing.Shared;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-style robustness of unwrap + evaluation with a fixed seed and a bounded budget (the longer run:
 * {@code -Dtrailguard.fuzz.iterations=200000}). Invariants: no exception escapes; every bad input is dead-lettered
 * with a reason; good records in the same input alert exactly as they would alone.
 */
class HostileEventsTest {
    static final long SEED = Long.getLong("trailguard.fuzz.seed", 20261128L);
    static final int ITERATIONS = Integer.getInteger("trailguard.fuzz.iterations", 3000);
    static RuleSet rules;
    static List<ObjectNode> records = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        List<RuleSource> sources = new ArrayList<>(RuleLoader.bundledPacks());
        Path upstream = Shared.root() == null ? null : Shared.root().resolve("anchors/falco/aws_cloudtrail_rules.yaml");
        if (upstream != null && Files.exists(upstream)) {
            // the upstream file redefines nothing of ours; load it after the packs
            sources.add(RuleSource.of(upstream));
        }
        sources.add(new RuleSource("fuzz.yaml", "- rule: Fuzz JSONPath\n  desc: d\n  condition: json.path[$..cidrIp] "
                + "endswith /0 or len(json.path[$.resources[*].ARN]) > 1 or tolower(ct.user) glob \"*admin*\"\n"
                + "  output: '%json.path[$..cidrIp] %ct.info %evt.plugininfo %ct.user %s3.uri %ec2.imageids'\n"
                + "  priority: INFO\n  source: aws_cloudtrail\n"));
        rules = RuleLoader.load(sources, LoadOptions.defaults()).orThrow();
        Path stratus = Shared.root() == null ? null : Shared.root().resolve("corpora/stratus-red-team/detonation-logs");
        if (stratus != null && Files.isDirectory(stratus)) {
            try (Stream<Path> files = Files.list(stratus)) {
                for (Path f : files.sorted().collect(Collectors.toList())) {
                    for (JsonNode r : Json.mapper().readTree(f.toFile())) {
                        records.add((ObjectNode) r);
                    }
                }
            }
        }
        // always some records, so the suite stands alone without ../shared
        records.add((ObjectNode) Json.mapper().readTree(("{'eventVersion':'1.08','userIdentity':{'type':'AssumedRole',"
                + "'arn':'arn:aws:sts::1:assumed-role/Admin/s','sessionContext':{'sessionIssuer':{'userName':'Admin'}}},"
                + "'eventTime':'2023-07-10T11:42:05Z','eventSource':'ec2.amazonaws.com','eventName':'AuthorizeSecurityGroupIngress',"
                + "'awsRegion':'us-east-1','sourceIPAddress':'1.2.3.4','requestParameters':{'ipPermissions':{'items':[{"
                + "'ipRanges':{'items':[{'cidrIp':'0.0.0.0/0'}]}}]}},'eventID':'x1','readOnly':false}").replace('\'', '"')));
    }

    static final class Collector implements EventSink {
        final List<CloudTrailEvent> events = new ArrayList<>();
        final List<DeadLetter> dead = new ArrayList<>();

        @Override
        public void event(CloudTrailEvent e) {
            events.add(e);
        }

        @Override
        public void deadLetter(DeadLetter d) {
            dead.add(d);
        }
    }

    /** Unwrap + evaluate; any exception fails the test (that is the invariant). */
    static Collector run(byte[] input) {
        Collector c = new Collector();
        new EventUnwrapper().unwrap(input, "fuzz", c);
        EvaluationContext ctx = rules.newContext();
        for (CloudTrailEvent e : c.events) {
            List<Signal> signals = new ArrayList<>();
            for (Alert a : rules.evaluate(e, ctx, signals)) {
                assertThat(a.toJson()).doesNotContain("\n");
            }
        }
        for (DeadLetter d : c.dead) {
            assertThat(d.reason()).isNotBlank();
        }
        return c;
    }

    @Test
    void wrongTypesAtEveryFieldNeverThrow() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonNode[] odd = {f.objectNode().put("x", 1), f.arrayNode().add("a").add(f.objectNode()), f.numberNode(1e308),
            f.booleanNode(true), f.nullNode(), f.textNode(""), f.textNode("\u0000\u001b[31m%ct.user\n")};
        int checked = 0;
        for (ObjectNode rec : records) {
            List<String> paths = new ArrayList<>();
            collectPaths(rec, "", paths, 0);
            for (String path : paths) {
                for (JsonNode v : odd) {
                    ObjectNode copy = rec.deepCopy();
                    replace(copy, path, v);
                    run(copy.toString().getBytes(StandardCharsets.UTF_8));
                    checked++;
                }
            }
            if (checked > ITERATIONS * 10) {
                break;
            }
        }
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void mutatedBytesNeverThrowAndAreDeadLetteredWhenInvalid() {
        Random random = new Random(SEED);
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] good = records.get(random.nextInt(records.size())).toString().getBytes(StandardCharsets.UTF_8);
            byte[] bad;
            switch (random.nextInt(4)) {
                case 0:
                    bad = java.util.Arrays.copyOf(good, random.nextInt(good.length));
                    break;
                case 1:
                    bad = good.clone();
                    for (int k = 0; k < 1 + random.nextInt(5); k++) {
                        bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
                    }
                    break;
                case 2:
                    bad = new byte[random.nextInt(512)];
                    random.nextBytes(bad);
                    break;
                default:
                    bad = (new String(good, StandardCharsets.UTF_8) + "}{\"Records\":[1,").getBytes(StandardCharsets.UTF_8);
                    break;
            }
            Collector c = run(bad);
            assertThat(c.events.size() + c.dead.size()).as("every input yields events or dead letters").isPositive();
        }
    }

    @Test
    void hostileShapes() {
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            deep.append("{\"a\":");
        }
        deep.append("1");
        for (int i = 0; i < 10_000; i++) {
            deep.append('}');
        }
        assertThat(run(deep.toString().getBytes(StandardCharsets.UTF_8)).dead).hasSize(1);
        StringBuilder deepRecord = new StringBuilder("{\"eventName\":\"X\",\"requestParameters\":");
        for (int i = 0; i < 10_000; i++) {
            deepRecord.append('[');
        }
        assertThat(run(deepRecord.toString().getBytes(StandardCharsets.UTF_8)).dead).hasSize(1);
        char[] big = new char[10 * 1024 * 1024];
        java.util.Arrays.fill(big, 'x');
        Collector huge = run(("{\"eventName\":\"CreateUser\",\"userAgent\":\"" + new String(big) + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(huge.events).hasSize(1);
        byte[] invalidUtf8 = "{\"eventName\":\"X\",\"userAgent\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(run(invalidUtf8).dead).hasSize(1);
        assertThat(run("{\"eventName\":\"X\",\"userAgent\":\"\\ud83e\\udd16 \\ud800 lone\"}"
                .getBytes(StandardCharsets.UTF_8)).events).hasSize(1);
        assertThat(run("{\"eventName\":\"X\",\"eventName\":\"CreateUser\"}".getBytes(StandardCharsets.UTF_8)).events)
                .hasSize(1);
        assertThat(run("{\"eventName\":\"X\",\"n\":NaN}".getBytes(StandardCharsets.UTF_8)).dead).hasSize(1);
        assertThat(run(("{\"eventName\":\"X\",\"n\":1" + "0".repeat(900) + "}").getBytes(StandardCharsets.UTF_8)).events)
                .hasSize(1);
        assertThat(run(("{\"eventName\":\"X\",\"n\":1" + "0".repeat(5000) + "}").getBytes(StandardCharsets.UTF_8)).dead)
                .hasSize(1);
        assertThat(run(new byte[0]).dead).hasSize(1);
    }

    @Test
    void goodRecordsAlertAsTheyWouldAloneAmongGarbage() {
        ArrayNode mixed = JsonNodeFactory.instance.arrayNode();
        List<String> alone = new ArrayList<>();
        Random random = new Random(SEED);
        for (ObjectNode rec : records) {
            mixed.add(rec);
            for (Alert a : run(rec.toString().getBytes(StandardCharsets.UTF_8)).events.stream()
                    .flatMap(e -> rules.evaluate(e, rules.newContext()).stream()).collect(Collectors.toList())) {
                alone.add(a.rule().name() + "|" + a.event().id() + "|" + a.output());
            }
            switch (random.nextInt(3)) {
                case 0:
                    mixed.add(42);
                    break;
                case 1:
                    mixed.add(JsonNodeFactory.instance.objectNode()); // {} inside Records is dead-lettered
                    break;
                default:
                    mixed.add(JsonNodeFactory.instance.arrayNode());
                    break;
            }
        }
        ObjectNode file = JsonNodeFactory.instance.objectNode();
        file.set("Records", mixed);
        Collector c = run(file.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(c.events).hasSize(records.size());
        assertThat(c.dead).hasSize(records.size());
        EvaluationContext ctx = rules.newContext();
        List<String> together = new ArrayList<>();
        for (CloudTrailEvent e : c.events) {
            for (Alert a : rules.evaluate(e, ctx)) {
                together.add(a.rule().name() + "|" + a.event().id() + "|" + a.output());
            }
        }
        assertThat(together).containsExactlyElementsOf(alone);
    }

    @Test
    void aHundredThousandRecordsInOneFile() {
        StringBuilder sb = new StringBuilder("{\"Records\":[");
        for (int i = 0; i < 100_000; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"eventName\":\"CreateUser\",\"eventID\":\"e").append(i)
                    .append("\",\"eventTime\":\"2023-07-10T11:42:05Z\"}");
        }
        sb.append("]}");
        assertThat(run(sb.toString().getBytes(StandardCharsets.UTF_8)).events).hasSize(100_000);
    }

    private static void collectPaths(JsonNode n, String prefix, List<String> out, int depth) {
        if (!n.isObject() || depth > 3) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = prefix + "/" + e.getKey();
            out.add(p);
            collectPaths(e.getValue(), p, out, depth + 1);
        }
    }

    private static void replace(ObjectNode root, String path, JsonNode value) {
        String[] parts = path.substring(1).split("/");
        ObjectNode cur = root;
        for (int i = 0; i < parts.length - 1; i++) {
            cur = (ObjectNode) cur.get(parts[i]);
        }
        cur.set(parts[parts.length - 1], value);
    }
}

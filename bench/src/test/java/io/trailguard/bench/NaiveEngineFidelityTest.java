package io.trailguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.field.EvaluationContext;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.event.EventSink;
import io.trailguard.rules.event.EventUnwrapper;
import io.trailguard.rules.event.Json;
import io.trailguard.rules.fixtures.FixtureFile;
import io.trailguard.rules.fixtures.FixtureRunner;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.RuleSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code naive} benchmark must compute what the {@code engine} benchmark computes, or the comparison means
 * nothing: the same events go through the real engine ({@link RuleSets#full()}, {@code RuleSet.evaluate}) and
 * through {@link NaiveEngine}, and for every rule the naive engine evaluates, the events it matches must be exactly
 * the events the engine alerts on. The naive engine must also evaluate every single-event rule the engine has
 * (rate rules alert per window, not per event: neither side's per-event matching includes them).
 *
 * <p>Events: the benchmark corpus ({@link BenchCorpus}: ../shared/corpora when present, synthetic records
 * otherwise), every event of the bundled rule fixtures (positive and negative cases of every Falco rule, with their
 * patches), and, when ../shared is present, the records of the other corpora, the TrailAlerts should-match /
 * should-not-match events and records built from the Sigma rules' own items ({@link SigmaTargetedEvents}). Every
 * evaluated rule must match at least once, so that no rule is compared on silence only. Without ../shared the
 * Sigma test is skipped and the others compare the Falco packs on synthetic records and fixtures.
 */
class NaiveEngineFidelityTest {
    /**
     * Rules where the two may differ, with why. Empty: any difference fails the test. (A difference that reveals
     * an engine bug is reported, not listed here.)
     */
    static final Map<String, String> KNOWN_DIFFERENCES = Map.of();

    /*
     * The one documented difference, narrower than a rule: the Falco dialect's ct.* string fields follow the upstream
     * plugin (fastjson GetStringBytes): a key holding JSON null (or another non-string) is present and "" in the
     * engine, while the naive engine reads JSON null as absent (JsonPath does not tell them apart) and other values
     * as their text. CloudTrail does not write null in those fields, and no record of the corpora, fixtures or
     * TrailAlerts tests differs; only the synthetic JSON-null variants of SigmaTargetedEvents do (e.g. Falco's
     * "Console Login Failed" on a ConsoleLogin with "errorMessage": null: ct.errormessage exists in the engine).
     * Those variants are therefore compared on the Sigma rules only (Labelled.sigmaOnly).
     */

    static List<RuleSource> sources;
    static RuleSet engine;
    static NaiveEngine naive;

    @BeforeAll
    static void load() {
        sources = RuleSets.fullSources();
        engine = RuleSets.of(sources);
        naive = new NaiveEngine(sources);
    }

    @Test
    void naiveEvaluatesEverySingleEventRuleOfTheEngineButTheDerivedFieldOnes() {
        Set<String> single = engine.rules().stream().filter(r -> !r.isRateRule()).map(Rule::name)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> rate = engine.rules().stream().filter(Rule::isRateRule).map(Rule::name)
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, String> skipped = naive.skippedRuleNames();
        assertThat(naive.ruleNames()).doesNotHaveDuplicates();
        assertThat(naive.falcoRuleCount() + naive.sigmaRuleCount()).isEqualTo(naive.ruleCount());
        // evaluated or skipped with a reason: nothing the engine alerts on per event is silently left out
        Set<String> accounted = new TreeSet<>(naive.ruleNames());
        skipped.forEach((name, reason) -> {
            if (!rate.contains(name)) {
                accounted.add(name);
            }
        });
        assertThat(accounted).as("skipped: %s", naive.skipReasons()).isEqualTo(single);
        // the only skips: rate rules (no per-event alert in either) and Falco rules reading Trailguard's derived
        // fields (json.embedded, policy.external_accounts), which have no JsonPath equivalent
        skipped.forEach((name, reason) -> {
            if (rate.contains(name)) {
                assertThat(reason).as(name).startsWith("Falco: rate rule");
            } else {
                assertThat(reason).as(name).startsWith("Falco: no JsonPath for ");
            }
        });
        assertThat(skipped.keySet()).containsAll(rate);
        // so every Sigma rule of the engine is evaluated (all 57 SigmaHQ rules when ../shared is present)
        assertThat(naive.sigmaRuleCount() > 0).isEqualTo(RuleSets.sigmaRules() != null);
    }

    @Test
    void sameMatchesAsTheEngineOnCorpusAndFixtures() {
        List<Labelled> events = new ArrayList<>();
        for (byte[] e : BenchCorpus.events(BenchCorpus.records().size())) {
            events.add(new Labelled("corpus " + BenchCorpus.describe(), e));
        }
        int corpus = events.size();
        events.addAll(fixtureEvents());
        int fixtures = events.size() - corpus;
        Path shared = sharedCorpora();
        if (shared != null) {
            events.addAll(otherCorpora(shared));
        }
        Result r = compare(events);
        System.out.printf("NaiveEngineFidelityTest: %d events (%d corpus, %d fixture, %d other), %d rules evaluated "
                        + "(%d Falco, %d Sigma), %d rules matched at least once, %d matches; skipped: %s%n",
                events.size(), corpus, fixtures, events.size() - corpus - fixtures, naive.ruleCount(),
                naive.falcoRuleCount(), naive.sigmaRuleCount(), r.matchedRules.size(), r.matches, naive.skipReasons());
        assertThat(r.differences).as("rules where the naive engine and the engine disagree").isEmpty();
        // the comparison is only as strong as the rules it exercises: every Falco rule has a positive fixture
        assertThat(r.matchedRules).as("Falco rules matched at least once")
                .containsAll(naive.ruleNames().subList(0, naive.falcoRuleCount()));
    }

    @Test
    void sigmaRulesSameMatchesOnTrailAlertsTestsAndTargetedEvents() throws IOException {
        Path sigma = RuleSets.sigmaRules();
        Assumptions.assumeTrue(sigma != null, "SigmaHQ rules (../shared/anchors/sigma/rules) absent");
        List<Labelled> events = new ArrayList<>();
        Path tests = sigma.resolveSibling("trailalerts-tests");
        if (Files.isDirectory(tests)) {
            for (Path f : list(tests, ".json")) {
                JsonNode root = Json.mapper().readTree(f.toFile());
                for (String k : new String[] {"should_match", "should_not_match"}) {
                    for (JsonNode e : root.path(k)) {
                        events.addAll(records(e, f.getFileName() + " " + k));
                    }
                }
            }
        }
        int trailAlerts = events.size();
        events.addAll(SigmaTargetedEvents.of(list(sigma, ".yml")));
        Result r = compare(events);
        Set<String> sigmaRules = new TreeSet<>(naive.ruleNames().subList(naive.falcoRuleCount(), naive.ruleCount()));
        Set<String> never = new TreeSet<>(sigmaRules);
        never.removeAll(r.matchedRules);
        System.out.printf("NaiveEngineFidelityTest (Sigma): %d events (%d TrailAlerts, %d targeted), %d matches, "
                + "Sigma rules never matched: %s; Falco differences on JSON-null variants (not compared): %d%n",
                events.size(), trailAlerts, events.size() - trailAlerts, r.matches, never, r.excluded);
        assertThat(r.differences).as("rules where the naive engine and the engine disagree").isEmpty();
        assertThat(never).as("Sigma rules never matched: the comparison does not exercise them").isEmpty();
    }

    @Test
    void falcoExceptionsSameAsTheEngine() {
        String extra = String.join("\n",
                "- rule: Fidelity Tuple Exceptions",
                "  desc: exceptions in tuple form, with list operators and list references",
                "  condition: ct.src endswith .amazonaws.com",
                "  output: \"%ct.name by %ct.user\"",
                "  priority: NOTICE",
                "  source: aws_cloudtrail",
                "  exceptions:",
                "    - name: by_type_and_ip",
                "      fields: [ct.user.identitytype, ct.srcip]",
                "      comps: [=, startswith]",
                "      values:",
                "        - [AssumedRole, \"192.168\"]",
                "        - [IAMUser, \"10.\"]",
                "    - name: reads",
                "      fields: [ct.name, ct.src]",
                "      comps: [in, pmatch]",
                "      values:",
                "        - [[GetCallerIdentity, ListBuckets, DescribeInstances], [sts.amazonaws.com, s3.amazonaws.com]]",
                "        - [fidelity_read_names, ec2.amazonaws.com]",
                "- list: fidelity_read_names",
                "  items: [DescribeInstanceInformation, DescribeSnapshots]",
                "- rule: Fidelity Single-Field Exception",
                "  desc: an exception in single-field form naming a list",
                "  condition: ct.name exists and ct.src exists",
                "  output: \"%ct.name in %ct.region\"",
                "  priority: NOTICE",
                "  source: aws_cloudtrail",
                "  exceptions:",
                "    - name: regions",
                "      fields: ct.region",
                "      values: [approved_regions, ap-south-1]",
                "");
        List<RuleSource> withExtra = new ArrayList<>(RuleLoader.bundledPacks());
        withExtra.add(new RuleSource("fidelity-exceptions.yaml", extra));
        RuleSet e = RuleSets.of(withExtra);
        NaiveEngine n = new NaiveEngine(withExtra);
        assertThat(n.ruleNames()).contains("Fidelity Tuple Exceptions", "Fidelity Single-Field Exception");
        List<Labelled> events = new ArrayList<>(fixtureEvents());
        Result r = compare(events, e, n);
        assertThat(r.differences).as("rules where the naive engine and the engine disagree").isEmpty();
        // the exceptions decide: both rules fire on some events and are excepted on others
        long[] fired = new long[2];
        long[] conditionOnly = new long[2];
        for (Labelled l : events) {
            JsonNode rec = parse(l.json);
            boolean aws = rec.path("eventSource").asText().endsWith(".amazonaws.com");
            conditionOnly[0] += aws ? 1 : 0;
            conditionOnly[1] += rec.hasNonNull("eventName") && rec.hasNonNull("eventSource") ? 1 : 0;
            List<String> names = n.matches(l.json);
            fired[0] += names.contains("Fidelity Tuple Exceptions") ? 1 : 0;
            fired[1] += names.contains("Fidelity Single-Field Exception") ? 1 : 0;
        }
        for (int i = 0; i < 2; i++) {
            assertThat(fired[i]).isPositive().isLessThan(conditionOnly[i]);
        }
    }

    // ---- comparison ---------------------------------------------------------------------------------

    /** One event (a raw CloudTrail record as JSON bytes) and where it came from. */
    static final class Labelled {
        final String origin;
        final byte[] json;
        /** Compared on the Sigma rules only: a synthetic record with JSON nulls (see above). */
        final boolean sigmaOnly;

        Labelled(String origin, byte[] json) {
            this(origin, json, false);
        }

        Labelled(String origin, byte[] json, boolean sigmaOnly) {
            this.origin = origin;
            this.json = json;
            this.sigmaOnly = sigmaOnly;
        }
    }

    static final class Result {
        final Map<String, List<String>> differences = new TreeMap<>();
        final Set<String> matchedRules = new TreeSet<>();
        long matches;
        /** (event, Falco rule) pairs of sigmaOnly events where the two differ (the documented JSON-null case). */
        long excluded;
    }

    static Result compare(List<Labelled> events) {
        return compare(events, engine, naive);
    }

    static Result compare(List<Labelled> events, RuleSet engine, NaiveEngine naive) {
        Set<String> evaluated = new TreeSet<>(naive.ruleNames());
        Set<String> falco = new TreeSet<>(naive.ruleNames().subList(0, naive.falcoRuleCount()));
        EvaluationContext ctx = engine.newContext();
        EventUnwrapper unwrapper = new EventUnwrapper();
        EngineBenchmark.Sink sink = new EngineBenchmark.Sink();
        Result result = new Result();
        for (Labelled e : events) {
            sink.events.clear();
            unwrapper.unwrap(e.json, e.origin, sink);
            assertThat(sink.events).hasSize(1);
            Map<String, Integer> byEngine = new TreeMap<>();
            for (Alert a : engine.evaluate(sink.events.get(0), ctx)) {
                byEngine.merge(a.rule().name(), 1, Integer::sum);
            }
            Map<String, Integer> byNaive = new TreeMap<>();
            for (String n : naive.matches(e.json)) {
                byNaive.merge(n, 1, Integer::sum);
            }
            result.matchedRules.addAll(byNaive.keySet());
            result.matches += byNaive.values().stream().mapToInt(Integer::intValue).sum();
            Set<String> rules = new TreeSet<>(byEngine.keySet());
            rules.addAll(byNaive.keySet());
            for (String rule : rules) {
                int x = byEngine.getOrDefault(rule, 0);
                int y = byNaive.getOrDefault(rule, 0);
                if (x != y && e.sigmaOnly && falco.contains(rule)) {
                    result.excluded++;
                } else if (x != y && evaluated.contains(rule) && !KNOWN_DIFFERENCES.containsKey(rule)) {
                    List<String> d = result.differences.computeIfAbsent(rule, k -> new ArrayList<>());
                    if (d.size() < 5) {
                        JsonNode rec = sink.events.get(0).record();
                        d.add("engine " + x + " naive " + y + ": " + e.origin + " " + rec.path("eventSource").asText()
                                + " " + rec.path("eventName").asText() + " " + new String(e.json,
                                StandardCharsets.UTF_8).substring(0, Math.min(e.json.length, 2000)));
                    }
                }
            }
        }
        return result;
    }

    // ---- events -------------------------------------------------------------------------------------

    /**
     * The records an input (record, envelope, log file, array) holds, each as its own event: only records that are
     * still CloudTrail records on their own (a log file's records are not checked one by one when it is unwrapped).
     */
    static List<Labelled> records(JsonNode input, String origin) {
        List<Labelled> out = new ArrayList<>();
        List<ObjectNode> found = new ArrayList<>();
        new EventUnwrapper().unwrap(input, origin, collector(found));
        for (ObjectNode rec : found) {
            byte[] json;
            try {
                json = Json.mapper().writeValueAsBytes(rec);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            List<ObjectNode> alone = new ArrayList<>();
            new EventUnwrapper().unwrap(json, origin, collector(alone));
            if (alone.size() == 1) {
                out.add(new Labelled(origin, json));
            }
        }
        return out;
    }

    private static EventSink collector(List<ObjectNode> out) {
        return new EventSink() {
            @Override
            public void event(CloudTrailEvent e) {
                out.add(e.record());
            }

            @Override
            public void deadLetter(DeadLetter d) {
                // not a CloudTrail record: neither engine sees it
            }
        };
    }

    /** Every event of the bundled fixtures: inline events and event files, with each case's patch applied. */
    static List<Labelled> fixtureEvents() {
        List<Labelled> out = new ArrayList<>();
        Load yaml = new Load(LoadSettings.builder().setSchema(new CoreSchema()).build());
        for (FixtureFile f : FixtureRunner.bundledFixtures()) {
            Object doc = yaml.loadFromString(f.text());
            Object cases = doc instanceof Map ? ((Map<?, ?>) doc).get("cases") : doc;
            int index = 0;
            for (Object c : (List<?>) cases) {
                index++;
                Map<?, ?> m = (Map<?, ?>) c;
                String origin = f.name() + " case " + index + " (" + m.get("rule") + ")";
                List<JsonNode> inputs = new ArrayList<>();
                if (m.get("events") instanceof List) {
                    for (Object e : (List<?>) m.get("events")) {
                        inputs.add(Json.mapper().valueToTree(e));
                    }
                }
                Object files = m.get("events_file");
                for (Object file : files instanceof List ? (List<?>) files : files == null ? List.of() : List.of(files)) {
                    inputs.addAll(readEvents(f, String.valueOf(file)));
                }
                JsonNode patch = m.get("patch") == null ? null : Json.mapper().valueToTree(m.get("patch"));
                for (JsonNode input : inputs) {
                    for (Labelled l : records(input, origin)) {
                        if (patch == null) {
                            out.add(l);
                            continue;
                        }
                        try {
                            ObjectNode rec = (ObjectNode) Json.mapper().readTree(l.json);
                            mergePatch(rec, patch);
                            out.add(new Labelled(origin, Json.mapper().writeValueAsBytes(rec)));
                        } catch (IOException ex) {
                            throw new UncheckedIOException(ex);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static List<JsonNode> readEvents(FixtureFile f, String file) {
        try {
            byte[] data = f.readRelative(file);
            List<JsonNode> out = new ArrayList<>();
            if (file.endsWith(".jsonl")) {
                for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
                    if (!line.trim().isEmpty()) {
                        out.add(Json.mapper().readTree(line));
                    }
                }
            } else {
                out.add(Json.mapper().readTree(data));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 7386 JSON merge patch, as the fixture runner applies it. */
    static void mergePatch(ObjectNode target, JsonNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                target.remove(e.getKey());
            } else if (v.isObject() && target.get(e.getKey()) instanceof ObjectNode) {
                mergePatch((ObjectNode) target.get(e.getKey()), v);
            } else {
                target.set(e.getKey(), v.deepCopy());
            }
        }
    }

    static List<Path> list(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().collect(Collectors.toList());
        }
    }

    static JsonNode parse(byte[] json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path sharedCorpora() {
        for (String base : new String[] {"../shared/corpora", "../../shared/corpora", "shared/corpora"}) {
            Path p = Paths.get(base);
            if (Files.isDirectory(p)) {
                return p.normalize();
            }
        }
        return null;
    }

    /**
     * The records of ../shared/corpora outside the benchmark corpus (Panther rule tests, OTRF, AWS docs, ...):
     * JSON files as records, envelopes or log files, JSON lines with the record itself or under {@code event}.
     */
    static List<Labelled> otherCorpora(Path corpora) {
        List<Labelled> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(corpora)) {
            files = s.filter(Files::isRegularFile).filter(p -> {
                String n = p.toString();
                return (n.endsWith(".json") || n.endsWith(".jsonl")) && !n.contains("stratus-red-team")
                        && !n.contains("invictus-ir-aws_dataset") && !n.endsWith("STATS.json");
            }).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path f : files) {
            String origin = corpora.relativize(f).toString();
            try {
                if (f.toString().endsWith(".jsonl") || f.toString().contains("otrf")) {
                    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                        if (line.trim().isEmpty()) {
                            continue;
                        }
                        JsonNode n = Json.mapper().readTree(line);
                        out.addAll(records(n.has("event") ? n.get("event") : n, origin));
                    }
                } else {
                    out.addAll(records(Json.mapper().readTree(f.toFile()), origin));
                }
            } catch (IOException | RuntimeException e) {
                // malformed on purpose (parser-robustness fixtures): neither engine would see it
            }
        }
        return out;
    }
}

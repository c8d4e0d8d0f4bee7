package io.trailguard.rules.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.condition.ConditionParser;
import io.trailguard.rules.condition.ConditionSyntaxException;
import io.trailguard.rules.condition.ListResolver;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.Diagnostic;
import io.trailguard.rules.source.RuleSource;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Falco conformance suite: every case under {@code conformance/falco/*.yaml} is loaded through the real
 * {@link RuleLoader} and evaluated by the real {@link RuleSet}. Each case is derived from a test of the reference
 * implementation (falcosecurity/libs, falco, testing, plugins) and names its upstream file and test; the
 * translation to CloudTrail fields keeps the semantics where they do not depend on the field. A case marked
 * {@code deliberate} records a place where Trailguard differs from Falco on purpose, with the reason; its
 * expectation is Trailguard's behaviour; a case marked {@code gap} records Falco behaviour Trailguard does not
 * implement yet, and asserts what Trailguard does instead, so that closing the gap shows up here. See
 * docs/conformance.md for the case format and the figures.
 */
class FalcoConformanceTest {
    static final String DIR = "conformance/falco";

    /** The event every case starts from; a case's {@code event} is merged over it (objects recursively). */
    static final String BASE_EVENT = "{\"eventVersion\":\"1.08\",\"eventTime\":\"2024-05-01T10:00:00Z\","
            + "\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"RunInstances\",\"awsRegion\":\"eu-west-3\","
            + "\"sourceIPAddress\":\"1.2.3.4\",\"userAgent\":\"aws-cli/2.0\",\"eventType\":\"AwsApiCall\","
            + "\"readOnly\":false,\"managementEvent\":true,\"recipientAccountId\":\"111122223333\","
            + "\"eventID\":\"ev-1\",\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"alice\","
            + "\"accountId\":\"111122223333\",\"arn\":\"arn:aws:iam::111122223333:user/alice\","
            + "\"principalId\":\"AIDAEXAMPLE\"},\"requestParameters\":{\"name\":\"/opt/dir/subdir/file.txt\"}}";

    @TestFactory
    Stream<DynamicNode> falcoConformance() throws IOException {
        return caseFiles().stream().map(f -> {
            CaseFile cf = CaseFile.read(f);
            return DynamicContainer.dynamicContainer(f.getFileName().toString(),
                    cf.cases.stream().map(c -> DynamicTest.dynamicTest(c.displayName(), () -> run(c))));
        });
    }

    /** Every case names its upstream source and test, and case names are unique within a file. */
    @Test
    void everyCaseNamesItsUpstreamSource() throws IOException {
        List<CaseFile> files = caseFiles().stream().map(CaseFile::read).collect(Collectors.toList());
        assertThat(files).isNotEmpty();
        int total = 0;
        for (CaseFile cf : files) {
            assertThat(cf.cases.stream().map(c -> c.name).distinct().count())
                    .as(cf.name + ": unique case names").isEqualTo(cf.cases.size());
            for (Case c : cf.cases) {
                assertThat(c.upstream).as(cf.name + " " + c.name + ": upstream").matches("falcosecurity/\\S+ \\S+");
                assertThat(c.test).as(cf.name + " " + c.name + ": upstream test").isNotBlank();
            }
            total += cf.cases.size();
        }
        assertThat(total).as("cases in the suite").isGreaterThanOrEqualTo(200);
    }

    /** docs/conformance.md states the figures this suite measures (cases, deliberate, not implemented). */
    @Test
    void docStatesTheFigures() throws IOException {
        Path doc = Paths.get("..", "docs", "conformance.md");
        assertThat(doc).as("docs/conformance.md").exists();
        Map<String, int[]> figures = new TreeMap<>();
        for (Path p : caseFiles()) {
            for (Case c : CaseFile.read(p).cases) {
                int[] f = figures.computeIfAbsent(c.upstream, k -> new int[4]);
                f[0]++;
                f[c.deliberate != null ? 2 : c.gap != null ? 3 : 1]++;
            }
        }
        int[] total = new int[4];
        StringBuilder table = new StringBuilder();
        for (Map.Entry<String, int[]> e : figures.entrySet()) {
            int[] f = e.getValue();
            table.append("| ").append(e.getKey()).append(" | ").append(f[0]).append(" | ").append(f[1]).append(" | ")
                    .append(f[2]).append(" | ").append(f[3]).append(" |\n");
            for (int i = 0; i < 4; i++) {
                total[i] += f[i];
            }
        }
        table.append("| **total** | **").append(total[0]).append("** | **").append(total[1]).append("** | **")
                .append(total[2]).append("** | **").append(total[3]).append("** |\n");
        assertThat(readText(doc)).as("the Falco figures table in docs/conformance.md").contains(table);
        assertThat(readText(Paths.get("..", "README.md"))).as("README.md's conformance level")
                .contains(String.format(java.util.Locale.ROOT, "all %,d Falco cases", total[0]))
                .contains(String.format(java.util.Locale.ROOT, "(%d and ", total[2]));
    }

    static List<Path> caseFiles() throws IOException {
        URL dir = FalcoConformanceTest.class.getClassLoader().getResource(DIR);
        assertThat(dir).as(DIR + " on the test classpath").isNotNull();
        try (Stream<Path> files = Files.list(Paths.get(dir.toURI()))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    // ---- running one case -------------------------------------------------------------------------

    static void run(Case c) {
        if (c.expect.equals("parses") || c.expect.equals("parse_error")) {
            runSyntax(c);
            return;
        }
        LoadOptions options = LoadOptions.defaults().matching(MatchingMode.ALL);
        LoadResult result = RuleLoader.load(c.sources(), options);
        String diagnostics = result.diagnostics().stream().map(Diagnostic::toString)
                .collect(Collectors.joining("\n"));
        String context = c.describe() + "\ndiagnostics:\n" + diagnostics;
        if (c.expect.equals("load_error")) {
            assertThat(result.ok()).as("expected a load error\n" + context).isFalse();
            if (c.error != null) {
                assertThat(result.errors()).as(context)
                        .anyMatch(d -> d.message().toLowerCase().contains(c.error.toLowerCase()));
            }
            if (c.errorFile != null) {
                assertThat(result.errors().get(0).file()).as(context).isEqualTo(c.errorFile);
            }
            return;
        }
        assertThat(result.ok()).as("expected the rules to load\n" + context).isTrue();
        for (String w : c.warnings) {
            assertThat(result.warnings()).as("expected a warning containing '" + w + "'\n" + context)
                    .anyMatch(d -> d.message().toLowerCase().contains(w.toLowerCase()));
        }
        for (String w : c.noWarnings) {
            assertThat(result.warnings()).as("expected no warning containing '" + w + "'\n" + context)
                    .noneMatch(d -> d.message().toLowerCase().contains(w.toLowerCase()));
        }
        RuleSet rs = result.ruleSet();
        if (c.expect.equals("loads")) {
            return;
        }
        List<Alert> alerts = rs.evaluate(c.event(), rs.newContext());
        List<String> fired = alerts.stream().map(a -> a.rule().name()).collect(Collectors.toList());
        switch (c.expect) {
            case "alert":
                if (c.alerts != null) {
                    assertThat(fired).as(context).containsExactlyElementsOf(c.alerts);
                } else {
                    assertThat(fired).as("expected an alert\n" + context).isNotEmpty();
                }
                break;
            case "no_alert":
                assertThat(fired).as("expected no alert\n" + context).isEmpty();
                break;
            default:
                throw new AssertionError("unknown expect '" + c.expect + "' in " + c.describe());
        }
        if (c.output != null) {
            assertThat(alerts.get(0).output()).as(context).isEqualTo(c.output);
        }
        if (c.priority != null) {
            assertThat(alerts.get(0).rule().priority().display()).as(context).isEqualToIgnoringCase(c.priority);
        }
    }

    /**
     * A grammar case (libs filter_parser tests accept or reject a string before any field is resolved): the
     * condition goes through the loader's own {@link ConditionParser}, with the case's lists.
     */
    static void runSyntax(Case c) {
        try {
            ConditionParser.parse(c.condition, ListResolver.NONE);
            assertThat(c.expect).as("parsed, but upstream rejects it\n" + c.describe()).isEqualTo("parses");
        } catch (ConditionSyntaxException e) {
            assertThat(c.expect).as("rejected (" + e.getMessage() + "), but upstream accepts it\n" + c.describe())
                    .isEqualTo("parse_error");
        }
    }

    // ---- the case files ------------------------------------------------------------------------

    static final class CaseFile {
        final String name;
        final List<Case> cases = new ArrayList<>();

        CaseFile(String name) {
            this.name = name;
        }

        @SuppressWarnings("unchecked")
        static CaseFile read(Path p) {
            try (InputStream in = Files.newInputStream(p)) {
                Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build())
                        .loadFromInputStream(in);
                CaseFile cf = new CaseFile(p.getFileName().toString());
                String upstream = (String) doc.get("upstream");
                Map<String, Object> defaults = (Map<String, Object>) doc.getOrDefault("defaults", Map.of());
                for (Map<String, Object> raw : (List<Map<String, Object>>) doc.get("cases")) {
                    Map<String, Object> m = new LinkedHashMap<>(defaults);
                    m.putAll(raw);
                    cf.cases.add(new Case(cf.name, upstream, m));
                }
                return cf;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (RuntimeException e) {
                throw new IllegalStateException(p + ": " + e.getMessage(), e);
            }
        }
    }

    /** One conformance case; see docs/conformance.md for the keys. */
    static final class Case {
        final String file;
        final String name;
        final String upstream;
        final String test;
        final String condition;
        final Object rules;
        final Object event;
        final String expect;
        final List<String> alerts;
        final String error;
        final String errorFile;
        final List<String> warnings;
        final List<String> noWarnings;
        final String output;
        final String priority;
        final String deliberate;
        final String gap;

        @SuppressWarnings("unchecked")
        Case(String file, String fileUpstream, Map<String, Object> m) {
            this.file = file;
            this.name = (String) m.get("name");
            this.upstream = (String) m.getOrDefault("upstream", fileUpstream);
            this.test = (String) m.get("test");
            this.condition = (String) m.get("condition");
            this.rules = m.get("rules");
            this.event = m.get("event");
            this.expect = (String) m.get("expect");
            this.alerts = (List<String>) m.get("alerts");
            this.error = (String) m.get("error");
            this.errorFile = (String) m.get("error_file");
            this.warnings = strings(m.get("warning"));
            this.noWarnings = strings(m.get("no_warning"));
            this.output = (String) m.get("output");
            this.priority = (String) m.get("priority");
            this.deliberate = (String) m.get("deliberate");
            this.gap = (String) m.get("gap");
            if (name == null || expect == null || (condition == null) == (rules == null)) {
                throw new IllegalArgumentException("case " + name + ": needs name, expect and one of "
                        + "condition/rules");
            }
        }

        private static List<String> strings(Object o) {
            if (o == null) {
                return List.of();
            }
            if (o instanceof List) {
                return ((List<?>) o).stream().map(String::valueOf).collect(Collectors.toList());
            }
            return List.of(String.valueOf(o));
        }

        String displayName() {
            return name + (deliberate != null ? " [deliberate difference]" : gap != null ? " [not implemented]" : "");
        }

        String describe() {
            return file + " / " + name + " (" + upstream + " :: " + test + ")"
                    + (condition != null ? "\ncondition: " + condition : "");
        }

        /** The rule files: a condition becomes one rule "r"; rules is one file's text or a map name -> text. */
        @SuppressWarnings("unchecked")
        List<RuleSource> sources() {
            if (condition != null) {
                String yaml = "- rule: r\n  desc: conformance case\n  condition: " + yamlQuote(condition) + "\n"
                        + "  output: matched\n  priority: WARNING\n  source: aws_cloudtrail\n";
                return List.of(new RuleSource("case.yaml", yaml));
            }
            if (rules instanceof String) {
                return List.of(new RuleSource("case.yaml", (String) rules));
            }
            List<RuleSource> out = new ArrayList<>();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) rules).entrySet()) {
                out.add(new RuleSource(e.getKey(), (String) e.getValue()));
            }
            return out;
        }

        CloudTrailEvent event() {
            try {
                ObjectNode base = (ObjectNode) Json.mapper().readTree(BASE_EVENT);
                if (event != null) {
                    merge(base, Json.mapper().valueToTree(event));
                }
                return CloudTrailEvent.ofRecord(base, 1);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Objects merge key by key; a JSON null in the case removes the key; anything else replaces. */
        private static void merge(ObjectNode into, JsonNode over) {
            over.fields().forEachRemaining(e -> {
                JsonNode old = into.get(e.getKey());
                if (e.getValue().isNull()) {
                    into.remove(e.getKey());
                } else if (old instanceof ObjectNode && e.getValue().isObject()) {
                    merge((ObjectNode) old, e.getValue());
                } else {
                    into.set(e.getKey(), e.getValue());
                }
            });
        }

        private static String yamlQuote(String s) {
            return "'" + s.replace("'", "''") + "'";
        }
    }

    /** Case counts per upstream source file, printed for docs/conformance.md. */
    static Map<String, Integer> countsByUpstream() throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        for (Path p : caseFiles()) {
            for (Case c : CaseFile.read(p).cases) {
                counts.merge(c.upstream, 1, Integer::sum);
            }
        }
        return counts;
    }

    static String readText(Path p) throws IOException {
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }
}

package io.trailguard.rules.sigma;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;
import io.trailguard.rules.fixtures.RateRuleReplayer;
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

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Sigma conformance suite: every case of {@code src/test/resources/conformance/sigma} (see
 * {@link ConformanceCase}), one dynamic test each, through the real loader, rule set and rate-rule window logic.
 * rules/SIGMA.md states the number of cases per upstream repository; {@link #sigmaMdStatesTheCaseCounts} keeps it
 * true.
 */
class SigmaConformanceTest {
    static final String DIR = "conformance/sigma";

    static List<Path> caseFiles() throws IOException, URISyntaxException {
        Path root = Paths.get(SigmaConformanceTest.class.getClassLoader().getResource(DIR).toURI());
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".yml")).sorted().collect(Collectors.toList());
        }
    }

    static List<ConformanceCase> allCases() throws IOException, URISyntaxException {
        List<ConformanceCase> all = new ArrayList<>();
        for (Path f : caseFiles()) {
            all.addAll(ConformanceCase.read(Files.readString(f, StandardCharsets.UTF_8)));
        }
        return all;
    }

    @TestFactory
    Stream<DynamicNode> conformance() throws IOException, URISyntaxException {
        List<DynamicNode> files = new ArrayList<>();
        for (Path f : caseFiles()) {
            List<ConformanceCase> cases = ConformanceCase.read(Files.readString(f, StandardCharsets.UTF_8));
            String name = cases.isEmpty() ? f.getFileName().toString()
                    : cases.get(0).repository + " " + cases.get(0).upstreamFile;
            files.add(DynamicContainer.dynamicContainer(name, f.toUri(), cases.stream()
                    .map(c -> DynamicTest.dynamicTest(c.displayName(), () -> run(c)))));
        }
        return files.stream();
    }

    static void run(ConformanceCase c) {
        LoadOptions options = LoadOptions.defaults().sigmaErrata(c.errata);
        LoadResult r = RuleLoader.load(List.of(new RuleSource("test.yml", c.text)), options);
        if (c.error != null) {
            assertThat(r.errors()).as("expected a load error containing '%s'", c.error.message)
                    .anySatisfy(d -> assertDiagnostic(c, d, c.error));
            return;
        }
        assertThat(r.errors()).as("load errors of %s", c.test).isEmpty();
        if (c.warning != null) {
            assertThat(r.warnings()).as("expected a warning containing '%s'", c.warning.message)
                    .anySatisfy(d -> assertDiagnostic(c, d, c.warning));
        }
        if (c.noWarning != null) {
            assertThat(r.warnings()).as("expected no warning containing '%s'", c.noWarning)
                    .noneMatch(d -> d.message().toLowerCase(Locale.ROOT).contains(c.noWarning.toLowerCase(Locale.ROOT)));
        }
        RuleSet rs = r.ruleSet();
        for (Map<String, Object> e : c.match) {
            assertThat(rs.evaluate(event(e, 1), rs.newContext())).as("alerts on %s", e).isNotEmpty();
        }
        for (Map<String, Object> e : c.nomatch) {
            assertThat(rs.evaluate(event(e, 1), rs.newContext())).as("alerts on %s", e).isEmpty();
        }
        if (!c.events.isEmpty()) {
            List<Map<String, Object>> actual = replay(rs, c.events);
            List<Map<String, Object>> compared = new ArrayList<>();
            for (int i = 0; i < actual.size(); i++) {
                // each alert as the keys its expectation names (all keys for alerts beyond the expected ones)
                Map<String, Object> a = actual.get(i);
                if (i < c.alerts.size()) {
                    a = new LinkedHashMap<>(a);
                    a.keySet().retainAll(c.alerts.get(i).keySet());
                }
                compared.add(a);
            }
            assertThat(compared).as("alerts").containsExactlyElementsOf(c.alerts);
        }
    }

    private static void assertDiagnostic(ConformanceCase c, Diagnostic d, ConformanceCase.Expected x) {
        assertThat(d.message().toLowerCase(Locale.ROOT)).contains(x.message.toLowerCase(Locale.ROOT));
        assertThat(d.file()).isEqualTo("test.yml");
        if (x.line > 0) {
            assertThat(d.line() - c.lineOffset).as("line of '%s'", d.message()).isEqualTo(x.line);
        }
        if (x.column > 0) {
            assertThat(d.column() - (c.lineOffset > 0 && d.line() > c.lineOffset ? 2 : 0))
                    .as("column of '%s'", d.message()).isEqualTo(x.column);
        }
    }

    static CloudTrailEvent event(Map<String, Object> e, long number) {
        return CloudTrailEvent.ofRecord((ObjectNode) Json.mapper().valueToTree(e), number);
    }

    /**
     * The alerts of events replayed in order: each event's single-event alerts, then what its signals fire in the
     * rate-rule windows, and at the end what the windows still pending fire; each alert as the keys a case
     * compares ({@code rule}, and for correlation alerts {@code group} and {@code count}, and {@code event}).
     */
    static List<Map<String, Object>> replay(RuleSet rs, List<Map<String, Object>> events) {
        RateRuleReplayer windows = new RateRuleReplayer(rs, 0);
        List<Alert> alerts = new ArrayList<>();
        long n = 0;
        for (Map<String, Object> e : events) {
            CloudTrailEvent ev = event(e, ++n);
            List<Signal> signals = new ArrayList<>();
            alerts.addAll(rs.evaluate(ev, rs.newContext(), signals));
            alerts.addAll(windows.onEvent(signals, ev.timeMillis()));
        }
        alerts.addAll(windows.finish());
        return alerts.stream().map(SigmaConformanceTest::summary).collect(Collectors.toList());
    }

    private static final Pattern COUNT_ROW = Pattern.compile("^\\| `([^`]+)` \\| (\\d+) \\| (\\d+) \\|$");

    private static Map<String, Object> summary(Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", a.rule().name());
        if (a.rate() != null) {
            m.put("group", a.rate().group());
            m.put("count", (int) a.rate().count());
        }
        m.put("event", a.event().id());
        return m;
    }

    /** The conformance table of rules/SIGMA.md: cases and deliberate differences per upstream repository. */
    @Test
    void sigmaMdStatesTheCaseCounts() throws IOException, URISyntaxException {
        Map<String, int[]> counted = new TreeMap<>();
        for (ConformanceCase c : allCases()) {
            int[] n = counted.computeIfAbsent(c.repository, k -> new int[2]);
            n[0]++;
            if (c.deliberate != null) {
                n[1]++;
            }
        }
        Map<String, int[]> documented = new TreeMap<>();
        for (String line : Files.readAllLines(Paths.get("SIGMA.md"), StandardCharsets.UTF_8)) {
            Matcher m = COUNT_ROW.matcher(line.trim());
            if (m.matches()) {
                documented.put(m.group(1), new int[] {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))});
            }
        }
        assertThat(render(documented)).as("rules/SIGMA.md's conformance table").isEqualTo(render(counted));
        int cases = counted.values().stream().mapToInt(n -> n[0]).sum();
        int deliberate = counted.values().stream().mapToInt(n -> n[1]).sum();
        String overview = Files.readString(Paths.get("..", "docs", "conformance.md"), StandardCharsets.UTF_8);
        assertThat(overview).as("docs/conformance.md").contains("holds " + cases + " cases")
                .contains(deliberate + " are deliberate differences");
        String readme = Files.readString(Paths.get("..", "README.md"), StandardCharsets.UTF_8);
        assertThat(readme).as("README.md's conformance level")
                .contains(String.format(Locale.ROOT, "%,d Sigma cases pass", cases))
                .contains(" and " + deliberate + " of them deliberate differences");
    }

    private static String render(Map<String, int[]> counts) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, v) -> sb.append(k).append(' ').append(v[0]).append(' ').append(v[1]).append('\n'));
        return sb.toString();
    }
}

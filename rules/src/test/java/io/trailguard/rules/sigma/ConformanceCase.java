package io.trailguard.rules.sigma;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One case of the Sigma conformance suite ({@code src/test/resources/conformance/sigma}), read from a case file:
 * a rule (a whole Sigma file, or only the {@code detection} section of a CloudTrail rule), events, and what
 * Trailguard must do, derived from one upstream test (its repository, file and test name are recorded).
 *
 * <p>A case file is a YAML mapping: {@code repository}, {@code file} (the upstream test file) and {@code cases}, a
 * list of mappings with these keys:
 * <ul>
 *   <li>{@code test}: the upstream test (function, or test name with a parameter) the case is derived from;</li>
 *   <li>{@code what}: what the case checks, in words (optional);</li>
 *   <li>{@code detection} (text): the detection section of a CloudTrail rule, placed after a fixed header of
 *       {@link #HEADER_LINES} lines; or {@code rule} (text): a whole Sigma file (several documents with
 *       {@code ---});</li>
 *   <li>{@code match} / {@code nomatch}: events that each must / must not raise an alert on their own;</li>
 *   <li>{@code events} and {@code alerts}: events replayed in order through the rule set and the rate-rule window
 *       logic (correlations), and the exact list of alerts expected, each {@code rule} (its name) and optionally
 *       {@code group} (the correlation's group-by values), {@code count} and {@code event} (the alert's event id);
 *       </li>
 *   <li>{@code error}: the load fails with an error whose message contains {@code message} (ignoring case), at
 *       {@code line} (counted in the case's text) and, when given, {@code column};</li>
 *   <li>{@code warning}: the load succeeds with a warning containing {@code message};</li>
 *   <li>{@code no_warning} (text): the load succeeds with no warning containing this text;</li>
 *   <li>{@code deliberate}: Trailguard deliberately differs from the upstream test here, for this reason
 *       (documented in rules/SIGMA.md); {@code upstream} then says what the reference does.</li>
 * </ul>
 * A case with none of match, nomatch, events, error and warning only asserts that the rule loads without errors.
 */
final class ConformanceCase {
    static final String HEADER = "title: Conformance case\nid: 0c0c0c0c-0000-4000-8000-000000000000\nstatus: test\n"
            + "logsource:\n  product: aws\n  service: cloudtrail\ndetection:\n";
    static final int HEADER_LINES = 7;
    private static final Set<String> KEYS = Set.of("test", "what", "detection", "rule", "match", "nomatch",
            "events", "alerts", "error", "warning", "no_warning", "deliberate", "upstream", "errata");

    /** An expected diagnostic. */
    static final class Expected {
        final int line;
        final int column;
        final String message;

        Expected(int line, int column, String message) {
            this.line = line;
            this.column = column;
            this.message = message;
        }
    }

    final String repository;
    final String upstreamFile;
    final String test;
    final String what;
    /** The Sigma file the case loads, as {@code test.yml}. */
    final String text;
    /** Lines before the case's own text in {@link #text}. */
    final int lineOffset;
    final List<Map<String, Object>> match;
    final List<Map<String, Object>> nomatch;
    final List<Map<String, Object>> events;
    final List<Map<String, Object>> alerts;
    final Expected error;
    final Expected warning;
    final String noWarning;
    final String deliberate;
    final String upstream;
    final boolean errata;

    @SuppressWarnings("unchecked")
    private ConformanceCase(String repository, String upstreamFile, Map<String, Object> m) {
        for (String k : m.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("unknown case key '" + k + "' in " + m.get("test"));
            }
        }
        this.repository = repository;
        this.upstreamFile = upstreamFile;
        this.test = require(m, "test");
        this.what = (String) m.get("what");
        String detection = (String) m.get("detection");
        String rule = (String) m.get("rule");
        if ((detection == null) == (rule == null)) {
            throw new IllegalArgumentException("case " + test + ": exactly one of 'detection' and 'rule'");
        }
        this.text = detection != null ? HEADER + SigmaTesting.indent(detection) : rule;
        this.lineOffset = detection != null ? HEADER_LINES : 0;
        this.match = (List<Map<String, Object>>) m.getOrDefault("match", List.of());
        this.nomatch = (List<Map<String, Object>>) m.getOrDefault("nomatch", List.of());
        this.events = (List<Map<String, Object>>) m.getOrDefault("events", List.of());
        this.alerts = (List<Map<String, Object>>) m.getOrDefault("alerts", List.of());
        this.error = expected(m.get("error"));
        this.warning = expected(m.get("warning"));
        this.noWarning = (String) m.get("no_warning");
        this.deliberate = (String) m.get("deliberate");
        this.upstream = (String) m.get("upstream");
        this.errata = !Boolean.FALSE.equals(m.get("errata"));
        if (deliberate != null && upstream == null) {
            throw new IllegalArgumentException("case " + test + ": a deliberate difference says what 'upstream' does");
        }
        if (!events.isEmpty() == !m.containsKey("alerts")) {
            throw new IllegalArgumentException("case " + test + ": 'events' and 'alerts' go together");
        }
    }

    private static String require(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String)) {
            throw new IllegalArgumentException("a case needs '" + key + "': " + m);
        }
        return (String) v;
    }

    @SuppressWarnings("unchecked")
    private static Expected expected(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof String) {
            return new Expected(0, 0, (String) o);
        }
        Map<String, Object> m = (Map<String, Object>) o;
        if (!(m.get("message") instanceof String)) {
            throw new IllegalArgumentException("an expected error or warning states its meaning: 'message' " + m);
        }
        return new Expected(((Number) m.getOrDefault("line", 0)).intValue(),
                ((Number) m.getOrDefault("column", 0)).intValue(), (String) m.get("message"));
    }

    /** The cases of one case file. */
    @SuppressWarnings("unchecked")
    static List<ConformanceCase> read(String yaml) {
        Map<String, Object> file = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml);
        String repository = (String) file.get("repository");
        String upstreamFile = (String) file.get("file");
        if (repository == null || upstreamFile == null) {
            throw new IllegalArgumentException("a case file names its upstream 'repository' and 'file'");
        }
        List<ConformanceCase> out = new ArrayList<>();
        for (Object c : (List<Object>) file.get("cases")) {
            out.add(new ConformanceCase(repository, upstreamFile, new LinkedHashMap<>((Map<String, Object>) c)));
        }
        return out;
    }

    /** The display name of the case: the upstream test, what it checks, and whether it is a deliberate difference. */
    String displayName() {
        return test + (what == null ? "" : ": " + what) + (deliberate == null ? "" : " [deliberate]");
    }
}

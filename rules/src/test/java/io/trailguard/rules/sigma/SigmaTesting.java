package io.trailguard.rules.sigma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.RuleSource;
import org.assertj.core.api.Assertions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** Helpers for Sigma tests: loading YAML text, building events. */
final class SigmaTesting {
    static final String LOGSOURCE = "logsource:\n  product: aws\n  service: cloudtrail\n";

    private SigmaTesting() {}

    static LoadResult load(String yaml) {
        return RuleLoader.load(List.of(new RuleSource("test.yml", yaml)), LoadOptions.defaults());
    }

    static LoadResult load(String yaml, LoadOptions options) {
        return RuleLoader.load(List.of(new RuleSource("test.yml", yaml)), options);
    }

    static RuleSet rules(String yaml) {
        LoadResult r = load(yaml);
        Assertions.assertThat(r.errors()).as("errors").isEmpty();
        return r.ruleSet();
    }

    /** A one-rule Sigma file with the given detection body (indented by 2 under 'detection:'). */
    static String rule(String detection) {
        return "title: Test rule\nid: 5f0b3c1e-7a55-4a8e-9a44-3a2b1c0d9e8f\n" + LOGSOURCE + "detection:\n"
                + indent(detection) + "level: high\n";
    }

    static String indent(String s) {
        StringBuilder sb = new StringBuilder();
        for (String line : s.split("\n", -1)) {
            if (!line.isEmpty()) {
                sb.append("  ").append(line);
            }
            sb.append('\n');
        }
        return sb.toString().replaceAll("\n+$", "\n");
    }

    /** True when the one-rule file with that detection matches the event. */
    static boolean matches(String detection, CloudTrailEvent e) {
        RuleSet rs = rules(rule(detection));
        return !rs.evaluate(e, rs.newContext()).isEmpty();
    }

    static CloudTrailEvent event(String json) {
        try {
            return CloudTrailEvent.ofRecord((ObjectNode) Json.mapper().readTree(json), 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON with single quotes: 'a' becomes "a". */
    static CloudTrailEvent q(String json) {
        return event(json.replace('\'', '"'));
    }

    static CloudTrailEvent of(JsonNode n) {
        return CloudTrailEvent.ofRecord((ObjectNode) n.deepCopy(), 1);
    }

    static List<String> fired(RuleSet rs, CloudTrailEvent e) {
        return rs.evaluate(e, rs.newContext()).stream().map(x -> x.rule().name()).collect(Collectors.toList());
    }

    static String resource(String name) {
        try (InputStream in = SigmaTesting.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

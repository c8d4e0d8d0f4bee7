package io.trailguard.rules.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.RuleSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Small helpers to build events and rule sets in tests. */
public final class Events {
    private Events() {}

    public static CloudTrailEvent event(String json) {
        try {
            return CloudTrailEvent.ofRecord((ObjectNode) Json.mapper().readTree(json), 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON with single quotes for readability: 'a' becomes "a". */
    public static CloudTrailEvent q(String singleQuotedJson) {
        return event(singleQuotedJson.replace('\'', '"'));
    }

    public static LoadResult load(String yaml) {
        return RuleLoader.load(List.of(new RuleSource("test.yaml", yaml)), LoadOptions.defaults());
    }

    public static LoadResult load(String yaml, LoadOptions options) {
        return RuleLoader.load(List.of(new RuleSource("test.yaml", yaml)), options);
    }

    /** A rule set with one rule named "r" of the given condition. */
    public static RuleSet rule(String condition) {
        String yaml = "- rule: r\n  desc: d\n  condition: '" + condition.replace("'", "''") + "'\n"
                + "  output: o\n  priority: INFO\n  source: aws_cloudtrail\n";
        return load(yaml).orThrow();
    }

    public static boolean matches(String condition, CloudTrailEvent e) {
        RuleSet rs = rule(condition);
        return !rs.evaluate(e, rs.newContext()).isEmpty();
    }

    public static List<Alert> alerts(RuleSet rs, CloudTrailEvent e) {
        return rs.evaluate(e, rs.newContext());
    }
}

package io.trailguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.source.RuleSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rule sets of a given size for the {@code scaling} benchmark: realistic variants of the pack rules (eventName
 * equalities and lists, identity types, request parameters, prefixes, globs and regexes, list lookups).
 * The first ten rules watch event names that occur in the corpus, so every size does the same matching work;
 * the others watch names the corpus does not have, which is what a large rule set mostly is for any one
 * event. The benchmark then shows what rules that cannot match cost.
 */
public final class ScaledRules {
    private ScaledRules() {}

    public static List<RuleSource> generate(int count, List<String> corpusEventNames) {
        return generate(count, corpusEventNames, false);
    }

    /**
     * As {@link #generate(int, List)}; with {@code realistic}, every rule watches an event name of the corpus (the
     * names in turn, most frequent first), so a larger rule set means more candidate rules per event, as for a
     * real deployment of many similar rules; one rule in five reads a request field with {@code contains} and one in
     * five with a regex, the same few patterns across rules.
     */
    public static List<RuleSource> generate(int count, List<String> corpusEventNames, boolean realistic) {
        StringBuilder y = new StringBuilder();
        y.append("- list: scaled_trusted_ips\n  items: [10.0.0.1, 10.0.0.2, 192.0.2.10]\n");
        y.append("- macro: scaled_succeeded\n  condition: not ct.error exists\n");
        for (int i = 0; i < count; i++) {
            boolean real = realistic ? !corpusEventNames.isEmpty() : i < 10 && i < corpusEventNames.size();
            String name = real ? corpusEventNames.get(i % corpusEventNames.size()) : "SyntheticCall" + i;
            String other = "SyntheticOther" + i;
            String condition;
            switch (i % 5) {
                case 0:
                    condition = "ct.name = \"" + name + "\" and scaled_succeeded and ct.user.identitytype in (IAMUser, Root)";
                    break;
                case 1:
                    condition = "ct.name in (\"" + name + "\", \"" + other + "\") and not ct.srcip in (scaled_trusted_ips)";
                    break;
                case 2:
                    condition = realistic
                            ? "ct.name = \"" + name + "\" and json.value[/requestParameters] contains \"adm" + i % 97
                              + "\" and ct.useragent contains \"terraform\""
                            : "ct.name = \"" + name + "\" and json.value[/requestParameters/userName] startswith \"adm"
                            + i + "\" or ct.name = \"" + other + "\" and ct.useragent contains \"terraform\"";
                    break;
                case 3:
                    condition = "jevt.value[/eventName] = \"" + name + "\" and ct.user.arn glob \"arn:aws:iam::*:role/ops-"
                            + i + "*\"";
                    break;
                default:
                    condition = realistic
                            ? "ct.name = \"" + name + "\" and json.value[/requestParameters] regex \".*(arn:aws:iam::[0-9]+"
                              + ":(role|user)/(ops|admin)-" + i % 7 + ").*\" and not ct.srcip in (scaled_trusted_ips)"
                            : "ct.name = \"" + name + "\" and ct.region regex \"(us|eu)-[a-z]+-[0-9]\" and "
                            + "json.value[/requestParameters/bucketName] != \"bucket-" + i + "\"";
                    break;
            }
            y.append("- rule: Scaled rule ").append(i).append('\n')
                    .append("  desc: generated variant ").append(i).append('\n')
                    .append("  condition: '").append(condition.replace("'", "''")).append("'\n")
                    .append("  output: '%ct.name by %ct.user.arn from %ct.srcip in %ct.region'\n")
                    .append("  priority: WARNING\n  source: aws_cloudtrail\n  tags: [scaled]\n");
        }
        return List.of(new RuleSource("scaled-" + count + ".yaml", y.toString()));
    }

    /** Event names of the corpus, most frequent first. */
    public static List<String> eventNames(List<ObjectNode> records) {
        Map<String, Integer> counts = new HashMap<>();
        for (ObjectNode r : records) {
            JsonNode n = r.get("eventName");
            if (n != null && n.isTextual()) {
                counts.merge(n.textValue(), 1, Integer::sum);
            }
        }
        List<String> names = new ArrayList<>(counts.keySet());
        names.sort((a, b) -> counts.get(b) - counts.get(a) != 0 ? counts.get(b) - counts.get(a) : a.compareTo(b));
        return names;
    }
}

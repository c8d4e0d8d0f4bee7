package io.trailguard.rules.loader;

import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.source.Position;
import io.trailguard.rules.source.RuleLoadException;
import io.trailguard.rules.source.RuleSource;
import io.trailguard.rules.source.YamlNodes;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nodes of one Falco file as typed values: a value of the wrong shape stops the file with its position,
 * and warnings go to the load's {@link RuleCollector}.
 */
final class FalcoYaml {
    private static final List<String> PRIORITIES = List.of("emergency", "alert", "critical", "error", "warning",
            "notice", "informational", "info", "debug");

    private final String file;
    private final RuleCollector out;

    FalcoYaml(RuleSource source, RuleCollector out) {
        this.file = source.name();
        this.out = out;
    }

    /** Where {@code n} starts; the file's start when there is no node. */
    Position pos(Node n) {
        return n == null ? new Position(file, 1, 1) : Position.of(file, n);
    }

    Map<String, Node> entries(MappingNode m) {
        return YamlNodes.entries(file, m);
    }

    String string(Node n, String what) {
        return YamlNodes.string(file, n, what);
    }

    List<String> strings(Node n, String what) {
        return YamlNodes.strings(file, n, what);
    }

    boolean bool(Node n, String what) {
        return YamlNodes.bool(file, n, what);
    }

    Priority priority(Node n) {
        String p = string(n, "priority");
        Priority parsed = Priority.parse(p);
        if (parsed == null) {
            throw new RuleLoadException(pos(n), "Invalid priority '" + p + "'" + io.trailguard.rules.text.Suggestions
                    .didYouMean(p.toLowerCase(java.util.Locale.ROOT), PRIORITIES) + " (expected one of emergency, alert, "
                    + "critical, error, warning, notice, informational, debug)");
        }
        return parsed;
    }

    void warn(Position p, String message) {
        out.warn(p, message);
    }

    void warnUnknownKeys(MappingNode item, Set<String> known) {
        for (Map.Entry<String, Node> k : YamlNodes.keyNodes(item).entrySet()) {
            if (!known.contains(k.getKey())) {
                warn(pos(k.getValue()), "Unknown key '" + k.getKey() + "'. The key will be ignored.");
            }
        }
    }
}

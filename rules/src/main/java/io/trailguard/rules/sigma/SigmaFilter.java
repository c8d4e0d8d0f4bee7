package io.trailguard.rules.sigma;

import io.trailguard.rules.field.FieldTable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A Sigma filter document (pySigma semantics): its condition, over its own selections, is ANDed into the condition
 * of each target rule, so authors write {@code condition: not selection} to exclude. Targets are rule ids, names
 * or titles, or {@code any} (also an empty list): every rule whose logsource the filter's covers. Filters do not
 * apply to correlation rules.
 */
final class SigmaFilter {
    final SigmaDocument doc;
    final boolean any;
    final List<SigmaReference> targets;
    final Node section;
    final Node condition;
    private Detection.DNode compiled;

    private SigmaFilter(SigmaDocument doc, boolean any, List<SigmaReference> targets, Node section, Node condition) {
        this.doc = doc;
        this.any = any;
        this.targets = targets;
        this.section = section;
        this.condition = condition;
    }

    static SigmaFilter read(SigmaDocument doc) {
        String file = doc.file;
        Node section = doc.top.get("filter");
        Map<String, Node> m = SigmaYaml.map(file, section, "filter");
        Node rules = m.get("rules");
        if (rules == null) {
            throw new SigmaException(SigmaYaml.pos(file, section), "a filter needs 'rules': rule ids or names, or "
                    + "'any'");
        }
        boolean any = false;
        List<SigmaReference> targets = new ArrayList<>();
        if (rules instanceof ScalarNode && rules.getTag().equals(Tag.STR)) {
            String r = ((ScalarNode) rules).getValue();
            if (r.trim().toLowerCase(Locale.ROOT).equals("any")) {
                any = true;
            } else {
                targets.add(new SigmaReference(r, rules));
            }
        } else if (rules instanceof SequenceNode) {
            for (Node r : ((SequenceNode) rules).getValue()) {
                targets.add(new SigmaReference(SigmaYaml.string(file, r, "filter rules"), r));
            }
            any = targets.isEmpty();
        } else {
            throw new SigmaException(SigmaYaml.pos(file, rules), "filter 'rules' must be 'any', a rule id or name, "
                    + "or a list of them");
        }
        Node condition = m.get("condition");
        if (condition == null) {
            throw new SigmaException(SigmaYaml.pos(file, section), "a filter needs a 'condition'");
        }
        if (!(condition instanceof ScalarNode) || SigmaYaml.isNull(condition)) {
            throw new SigmaException(SigmaYaml.pos(file, condition), "a filter condition must be one string");
        }
        return new SigmaFilter(doc, any, targets, section, condition);
    }

    /** The filter's condition, compiled once. */
    Detection.DNode compile(FieldTable fields, Consumer<Detection.Diagnosis> warnings) {
        if (compiled == null) {
            Detection d = new Detection(doc.file, section, Set.of("rules", "condition"), fields, warnings);
            compiled = d.condition(condition);
        }
        return compiled;
    }
}

package io.trailguard.rules.sigma;

import io.trailguard.rules.source.RuleSource;
import io.trailguard.rules.source.YamlNodes;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trailguard's errata for known defects of SigmaHQ rules, shipped as the classpath resource
 * {@value #RESOURCE} (see the comments there). An erratum applies to the rule with its id, only while the rule
 * still contains the defective detection item; it removes that item and/or adds a Sigma filter.
 */
final class Errata {
    static final String RESOURCE = "io/trailguard/sigma/errata.yml";
    static final String SOURCE_NAME = "classpath:" + RESOURCE;

    /** One erratum. */
    static final class Erratum {
        final SigmaDocument doc;
        final String ruleId;
        final String reason;
        final String identifier;
        final String key;
        final String value;
        final boolean remove;
        /** The filter part, or null. */
        final SigmaFilter filter;

        Erratum(SigmaDocument doc, String ruleId, String reason, String identifier, String key, String value,
                boolean remove, SigmaFilter filter) {
            this.doc = doc;
            this.ruleId = ruleId;
            this.reason = reason;
            this.identifier = identifier;
            this.key = key;
            this.value = value;
            this.remove = remove;
            this.filter = filter;
        }

        String id() {
            return doc.id;
        }

        /** True when the rule's detection still has the defective item. */
        boolean matches(SigmaDocument rule) {
            Node detection = rule.top.get("detection");
            if (!(detection instanceof MappingNode)) {
                return false;
            }
            for (NodeTuple t : ((MappingNode) detection).getValue()) {
                if (t.getKeyNode() instanceof ScalarNode && ((ScalarNode) t.getKeyNode()).getValue().equals(identifier)
                        && t.getValueNode() instanceof MappingNode) {
                    for (NodeTuple item : ((MappingNode) t.getValueNode()).getValue()) {
                        if (item.getKeyNode() instanceof ScalarNode && item.getValueNode() instanceof ScalarNode
                                && ((ScalarNode) item.getKeyNode()).getValue().equals(key)
                                && ((ScalarNode) item.getValueNode()).getValue().equals(value)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        /** A detection section without the defective item. */
        MappingNode withoutDefect(MappingNode detection) {
            List<NodeTuple> out = new ArrayList<>();
            for (NodeTuple t : detection.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode && ((ScalarNode) t.getKeyNode()).getValue().equals(identifier)
                        && t.getValueNode() instanceof MappingNode) {
                    MappingNode sel = (MappingNode) t.getValueNode();
                    List<NodeTuple> items = new ArrayList<>();
                    for (NodeTuple item : sel.getValue()) {
                        boolean defect = item.getKeyNode() instanceof ScalarNode
                                && ((ScalarNode) item.getKeyNode()).getValue().equals(key);
                        if (!defect) {
                            items.add(item);
                        }
                    }
                    out.add(new NodeTuple(t.getKeyNode(), new MappingNode(sel.getTag(), true, items,
                            sel.getFlowStyle(), sel.getStartMark(), sel.getEndMark())));
                } else {
                    out.add(t);
                }
            }
            return new MappingNode(detection.getTag(), true, out, detection.getFlowStyle(), detection.getStartMark(),
                    detection.getEndMark());
        }
    }

    private final Map<String, List<Erratum>> byRule = new HashMap<>();

    private Errata() {}

    static Errata none() {
        return new Errata();
    }

    /**
     * The bundled errata, parsed afresh for each load (never cached): their filters compile against that load's
     * field table.
     */
    static Errata bundled() {
        String text;
        try (InputStream in = Errata.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled resource missing from the jar: " + RESOURCE);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parse(new RuleSource(SOURCE_NAME, text));
    }

    static Errata parse(RuleSource source) {
        Errata e = new Errata();
        int order = 0;
        try {
            for (Node doc : YamlNodes.documents(source)) {
                if (SigmaYaml.isNull(doc)) {
                    continue;
                }
                e.add(read(source.name(), doc, order++));
            }
        } catch (SigmaException ex) {
            throw new IllegalStateException("invalid errata " + ex.position() + ": " + ex.getMessage(), ex);
        } catch (RuntimeException ex) {
            throw new IllegalStateException("invalid errata " + source.name() + ": " + ex.getMessage(), ex);
        }
        return e;
    }

    private void add(Erratum er) {
        byRule.computeIfAbsent(er.ruleId, k -> new ArrayList<>()).add(er);
    }

    private static Erratum read(String file, Node doc, int order) {
        Map<String, Node> top = SigmaYaml.map(file, doc, "an erratum");
        Node block = top.get("erratum");
        if (block == null) {
            throw new SigmaException(SigmaYaml.pos(file, doc), "an erratum needs an 'erratum' block");
        }
        Map<String, Node> m = SigmaYaml.map(file, block, "erratum");
        Map<String, Node> defect = SigmaYaml.map(file, m.get("defect"), "erratum.defect");
        SigmaDocument d;
        SigmaFilter filter = null;
        if (top.containsKey("filter")) {
            d = SigmaDocument.parse(file, doc, order);
            filter = SigmaFilter.read(d);
        } else {
            throw new SigmaException(SigmaYaml.pos(file, doc), "an erratum needs a filter");
        }
        if (d.id == null) {
            throw new SigmaException(d.position, "an erratum needs an id");
        }
        boolean remove = m.containsKey("remove") && SigmaYaml.bool(file, m.get("remove"), "erratum.remove");
        return new Erratum(d, SigmaYaml.string(file, m.get("rule"), "erratum.rule"),
                SigmaYaml.string(file, m.get("reason"), "erratum.reason"),
                SigmaYaml.string(file, defect.get("identifier"), "erratum.defect.identifier"),
                SigmaYaml.string(file, defect.get("key"), "erratum.defect.key"),
                SigmaYaml.string(file, defect.get("value"), "erratum.defect.value"), remove, filter);
    }

    /** The errata for a rule id (empty when none). */
    List<Erratum> forRule(String ruleId) {
        List<Erratum> l = ruleId == null ? null : byRule.get(ruleId);
        return l == null ? List.of() : l;
    }

    int size() {
        return byRule.values().stream().mapToInt(List::size).sum();
    }
}

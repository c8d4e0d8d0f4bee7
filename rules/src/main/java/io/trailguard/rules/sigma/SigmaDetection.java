package io.trailguard.rules.sigma;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The definition of one search identifier as written (pySigma's {@code SigmaDetection}), read from its YAML node:
 * a mapping is detection items ANDed; a list of plain values is one keyword item; any other list is alternatives
 * ORed (its plain values keyword items, its mappings detections of their own); a plain value is a keyword item.
 */
final class SigmaDetection {
    private static final int MAX_DEPTH = 20;

    /** The detection items, ANDed; empty when this is a list of {@link #alternatives}. */
    final List<SigmaDetectionItem> items;
    /** The alternatives, ORed; empty when this is a list of {@link #items}. */
    final List<SigmaDetection> alternatives;

    private SigmaDetection(List<SigmaDetectionItem> items, List<SigmaDetection> alternatives) {
        this.items = List.copyOf(items);
        this.alternatives = List.copyOf(alternatives);
    }

    /** Reads a search identifier's definition; {@code keyNode} is its key (where keyword errors point). */
    static SigmaDetection parse(String file, Node n, Node keyNode) {
        return parse(file, n, keyNode, 0);
    }

    private static SigmaDetection parse(String file, Node n, Node keyNode, int depth) {
        if (depth > MAX_DEPTH) {
            throw new SigmaException(SigmaYaml.pos(file, n), "search identifier nests too deeply");
        }
        Node at = keyNode == null ? n : keyNode;
        if (n instanceof MappingNode) {
            List<SigmaDetectionItem> items = new ArrayList<>();
            for (NodeTuple t : ((MappingNode) n).getValue()) {
                String key = SigmaYaml.string(file, t.getKeyNode(), "detection key");
                items.add(SigmaDetectionItem.fromMapping(file, key, t.getKeyNode(), t.getValueNode()));
            }
            if (items.isEmpty()) {
                throw new SigmaException(SigmaYaml.pos(file, n), "search identifier is empty");
            }
            return new SigmaDetection(items, List.of());
        }
        if (n instanceof SequenceNode) {
            List<Node> elements = ((SequenceNode) n).getValue();
            if (elements.isEmpty()) {
                throw new SigmaException(SigmaYaml.pos(file, n), "search identifier is an empty list");
            }
            if (elements.stream().allMatch(e -> e instanceof ScalarNode)) {
                return new SigmaDetection(List.of(SigmaDetectionItem.keywords(file, at, elements)), List.of());
            }
            List<SigmaDetection> alternatives = new ArrayList<>();
            for (Node e : elements) {
                alternatives.add(e instanceof ScalarNode
                        ? new SigmaDetection(List.of(SigmaDetectionItem.keywords(file, at, List.of(e))), List.of())
                        : parse(file, e, e, depth + 1));
            }
            return new SigmaDetection(List.of(), alternatives);
        }
        if (SigmaYaml.isNull(n)) {
            throw new SigmaException(SigmaYaml.pos(file, n), "a null value must be bound to a field");
        }
        return new SigmaDetection(List.of(SigmaDetectionItem.keywords(file, at, List.of(n))), List.of());
    }
}

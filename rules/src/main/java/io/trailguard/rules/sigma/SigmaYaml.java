package io.trailguard.rules.sigma;

import io.trailguard.rules.source.Position;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers over the YAML node tree (YAML 1.2 core schema, positions kept). */
final class SigmaYaml {
    private SigmaYaml() {}

    static Position pos(String file, Node n) {
        return Position.of(file, n);
    }

    static boolean isNull(Node n) {
        return n == null || (n instanceof ScalarNode && n.getTag().equals(Tag.NULL));
    }

    /** A mapping's entries by key text, in order (keys must be scalars). */
    static Map<String, Node> map(String file, Node n, String what) {
        if (!(n instanceof MappingNode)) {
            throw new SigmaException(pos(file, n), what + " must be a mapping");
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : ((MappingNode) n).getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode)) {
                throw new SigmaException(pos(file, t.getKeyNode()), "mapping keys must be scalars");
            }
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            if (out.put(key, t.getValueNode()) != null) {
                throw new SigmaException(pos(file, t.getKeyNode()), "found duplicate key " + key);
            }
        }
        return out;
    }

    /** Key nodes by key text (for the positions of keys). */
    static Map<String, Node> keys(Node n) {
        Map<String, Node> out = new LinkedHashMap<>();
        if (n instanceof MappingNode) {
            for (NodeTuple t : ((MappingNode) n).getValue()) {
                if (t.getKeyNode() instanceof ScalarNode) {
                    out.put(((ScalarNode) t.getKeyNode()).getValue(), t.getKeyNode());
                }
            }
        }
        return out;
    }

    /** A scalar's text (numbers and booleans as written); null and collections are errors. */
    static String string(String file, Node n, String what) {
        if (!(n instanceof ScalarNode) || isNull(n)) {
            throw new SigmaException(pos(file, n), what + " must be a string");
        }
        return ((ScalarNode) n).getValue();
    }

    /** A scalar or a sequence of scalars, as strings. */
    static List<String> strings(String file, Node n, String what) {
        List<String> out = new ArrayList<>();
        if (n instanceof SequenceNode) {
            for (Node item : ((SequenceNode) n).getValue()) {
                out.add(string(file, item, what + " items"));
            }
            return out;
        }
        out.add(string(file, n, what));
        return out;
    }

    static boolean bool(String file, Node n, String what) {
        if (n instanceof ScalarNode && n.getTag().equals(Tag.BOOL)) {
            return Boolean.parseBoolean(((ScalarNode) n).getValue().toLowerCase(java.util.Locale.ROOT));
        }
        throw new SigmaException(pos(file, n), what + " must be true or false");
    }

    /**
     * The position of character {@code offset} of a scalar's value: exact for single-line plain scalars and
     * single-line quoted scalars without escapes, the scalar's start otherwise.
     */
    static Position at(String file, Node n, int offset) {
        Position start = pos(file, n);
        if (!(n instanceof ScalarNode) || offset < 0) {
            return start;
        }
        ScalarNode s = (ScalarNode) n;
        String v = s.getValue();
        if (v.indexOf('\n') >= 0 || offset > v.length() || !s.getStartMark().isPresent()
                || !s.getEndMark().isPresent() || s.getStartMark().get().getLine() != s.getEndMark().get().getLine()) {
            return start;
        }
        ScalarStyle style = s.getScalarStyle();
        if (style == ScalarStyle.PLAIN) {
            return new Position(start.file(), start.line(), start.column() + offset);
        }
        int width = s.getEndMark().get().getColumn() - s.getStartMark().get().getColumn();
        if ((style == ScalarStyle.SINGLE_QUOTED || style == ScalarStyle.DOUBLE_QUOTED) && width == v.length() + 2) {
            return new Position(start.file(), start.line(), start.column() + 1 + offset);
        }
        return start;
    }

    /** A canonical text of a node tree (tags and values, no positions): part of correlation fingerprints. */
    static String canonical(Node n) {
        StringBuilder sb = new StringBuilder();
        canonical(n, sb, 0);
        return sb.toString();
    }

    private static void canonical(Node n, StringBuilder sb, int depth) {
        if (depth > 200) {
            sb.append("...");
            return;
        }
        if (n instanceof ScalarNode) {
            sb.append(n.getTag().getValue()).append(':').append(((ScalarNode) n).getValue().length()).append(':')
                    .append(((ScalarNode) n).getValue());
        } else if (n instanceof SequenceNode) {
            sb.append('[');
            for (Node c : ((SequenceNode) n).getValue()) {
                canonical(c, sb, depth + 1);
                sb.append(',');
            }
            sb.append(']');
        } else if (n instanceof MappingNode) {
            sb.append('{');
            for (NodeTuple t : ((MappingNode) n).getValue()) {
                canonical(t.getKeyNode(), sb, depth + 1);
                sb.append('=');
                canonical(t.getValueNode(), sb, depth + 1);
                sb.append(',');
            }
            sb.append('}');
        }
    }
}

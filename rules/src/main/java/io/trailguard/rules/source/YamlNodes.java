package io.trailguard.rules.source;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML (1.2 core schema, so {@code NO} stays a string) into nodes that keep their positions, with the
 * limits that make rule text safe to accept from a control stream: no duplicate keys, few aliases (no YAML
 * bombs), bounded size.
 */
public final class YamlNodes {
    /** Largest rules file accepted. */
    static final int MAX_FILE_CHARS = 32 * 1024 * 1024;
    /** Aliases to collections per file (YAML bombs multiply them). */
    static final int MAX_ALIASES = 50;

    private YamlNodes() {}

    /**
     * Every document of the file; a YAML syntax error becomes a RuleLoadException with its position (the Falco and
     * Sigma dialects read the same nodes).
     */
    public static List<Node> documents(RuleSource source) {
        if (source.text().length() > MAX_FILE_CHARS) {
            throw new RuleLoadException(new Position(source.name(), 1, 1), "file is larger than "
                    + MAX_FILE_CHARS + " characters");
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(source.name())
                .setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setAllowRecursiveKeys(false)
                .setCodePointLimit(MAX_FILE_CHARS)
                .setUseMarks(true)
                .setSchema(new CoreSchema())
                .build();
        List<Node> docs = new ArrayList<>();
        try {
            for (Node n : new Compose(settings).composeAllFromString(source.text())) {
                docs.add(n);
            }
        } catch (MarkedYamlEngineException e) {
            Position p = e.getProblemMark().map(m -> Position.of(source.name(), m))
                    .orElse(new Position(source.name(), 1, 1));
            String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            throw new RuleLoadException(p, "invalid YAML: " + problem + context);
        } catch (YamlEngineException e) {
            throw new RuleLoadException(new Position(source.name(), 1, 1), "invalid YAML: " + e.getMessage());
        }
        return docs;
    }

    public static boolean isNull(Node n) {
        return n instanceof ScalarNode && n.getTag().equals(Tag.NULL);
    }

    /** A mapping's entries by key text, in order. Non-scalar keys are errors. */
    public static Map<String, Node> entries(String file, MappingNode m) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode)) {
                throw new RuleLoadException(Position.of(file, t.getKeyNode()), "mapping keys must be scalars");
            }
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            if (out.put(key, t.getValueNode()) != null) {
                throw new RuleLoadException(Position.of(file, t.getKeyNode()), "found duplicate key " + key);
            }
        }
        return out;
    }

    /** Keys in order with their key nodes (for positions of unknown keys). */
    public static Map<String, Node> keyNodes(MappingNode m) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode) {
                out.put(((ScalarNode) t.getKeyNode()).getValue(), t.getKeyNode());
            }
        }
        return out;
    }

    public static String string(String file, Node n, String what) {
        if (!(n instanceof ScalarNode) || isNull(n)) {
            throw new RuleLoadException(Position.of(file, n), what + " must be a string");
        }
        return ((ScalarNode) n).getValue();
    }

    public static boolean bool(String file, Node n, String what) {
        if (n instanceof ScalarNode) {
            String v = ((ScalarNode) n).getValue();
            if (n.getTag().equals(Tag.BOOL) || v.equals("true") || v.equals("false")) {
                return Boolean.parseBoolean(v.toLowerCase(java.util.Locale.ROOT));
            }
        }
        throw new RuleLoadException(Position.of(file, n), what + " must be true or false");
    }

    /** A sequence of scalars (strings or numbers) as strings. */
    public static List<String> strings(String file, Node n, String what) {
        if (!(n instanceof SequenceNode)) {
            throw new RuleLoadException(Position.of(file, n), what + " must be a sequence");
        }
        List<String> out = new ArrayList<>();
        for (Node item : ((SequenceNode) n).getValue()) {
            if (!(item instanceof ScalarNode) || isNull(item)) {
                throw new RuleLoadException(Position.of(file, item), what + " items must be strings");
            }
            out.add(((ScalarNode) item).getValue());
        }
        return out;
    }

    /** True when the scalar is written on one line (so offsets inside it map to columns). */
    public static boolean isSingleLine(Node n) {
        if (!(n instanceof ScalarNode)) {
            return false;
        }
        ScalarNode s = (ScalarNode) n;
        boolean block = s.getScalarStyle() == ScalarStyle.LITERAL || s.getScalarStyle() == ScalarStyle.FOLDED;
        return !block && s.getStartMark().isPresent() && s.getEndMark().isPresent()
                && s.getStartMark().get().getLine() == s.getEndMark().get().getLine()
                && (s.getScalarStyle() == ScalarStyle.PLAIN);
    }
}

package io.trailguard.rules.sigma;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * One detection item as written (pySigma's {@code SigmaDetectionItem}), read from its YAML key and value: the field
 * (none for a keyword item), the modifier names in order, and the values typed as YAML 1.2 core types (quoted text
 * is always a string; under {@code re} the text is kept as written). It only reads; {@link Modifiers} and
 * {@link Detection} give it meaning.
 */
final class SigmaDetectionItem {
    /** The key as written ({@code field|mod}); null for keywords without a key. */
    final String key;
    /** The field path; null for a keyword item (a list of plain values, or a key such as {@code '|all'}). */
    final String field;
    final List<String> modifiers;
    final List<SigmaValue> values;
    /** The node errors about the item point at: its key, or the keyword values when there is no key. */
    final Node at;
    /** How many values were written (an empty list stands for null). */
    final int written;

    private SigmaDetectionItem(String key, String field, List<String> modifiers, List<SigmaValue> values, Node at,
                               int written) {
        this.key = key;
        this.field = field;
        this.modifiers = List.copyOf(modifiers);
        this.values = values;
        this.at = at;
        this.written = written;
    }

    boolean isKeyword() {
        return field == null;
    }

    /** {@code field|mod1|mod2: value or list}; an empty field ({@code '|all'}) makes a keyword item. */
    static SigmaDetectionItem fromMapping(String file, String key, Node keyNode, Node valueNode) {
        String[] split = key.split("\\|", -1);
        List<String> modifiers = new ArrayList<>();
        for (int i = 1; i < split.length; i++) {
            modifiers.add(split[i]);
        }
        List<Node> valueNodes;
        if (valueNode instanceof SequenceNode) {
            valueNodes = ((SequenceNode) valueNode).getValue();
        } else if (valueNode instanceof MappingNode) {
            throw new SigmaException(SigmaYaml.pos(file, valueNode), "the value of '" + key + "' must be a value or a "
                    + "list of values, not a mapping (nested fields are written with dots: a.b)");
        } else {
            valueNodes = List.of(valueNode);
        }
        for (Node v : valueNodes) {
            if (!(v instanceof ScalarNode)) {
                throw new SigmaException(SigmaYaml.pos(file, v), "the values of '" + key + "' must be plain values");
            }
        }
        if (split[0].isEmpty()) {
            if (valueNodes.isEmpty()) {
                throw new SigmaException(SigmaYaml.pos(file, keyNode), "a keyword item needs values");
            }
            return new SigmaDetectionItem(key, null, modifiers, keywordValues(file, valueNodes, modifiers), keyNode,
                    valueNodes.size());
        }
        boolean re = modifiers.contains("re");
        List<SigmaValue> values = new ArrayList<>();
        for (Node v : valueNodes) {
            values.add(value(file, v, re));
        }
        if (values.isEmpty()) {
            values.add(new SigmaValue.Null()); // pySigma: an empty list means null
        }
        return new SigmaDetectionItem(key, split[0], modifiers, values, keyNode, valueNodes.size());
    }

    /** A keyword item without modifiers: a plain value, or a list of plain values, as a search identifier. */
    static SigmaDetectionItem keywords(String file, Node at, List<Node> valueNodes) {
        return new SigmaDetectionItem(null, null, List.of(), keywordValues(file, valueNodes, List.of()), at,
                valueNodes.size());
    }

    private static List<SigmaValue> keywordValues(String file, List<Node> valueNodes, List<String> modifiers) {
        List<SigmaValue> values = new ArrayList<>();
        for (Node v : valueNodes) {
            SigmaValue sv = value(file, v, modifiers.contains("re"));
            if (sv instanceof SigmaValue.Null) {
                throw new SigmaException(SigmaYaml.pos(file, v), "a null value must be bound to a field");
            }
            values.add(sv);
        }
        return values;
    }

    /** A YAML scalar as a Sigma value (YAML 1.2 core types: quoted text is always a string). */
    static SigmaValue value(String file, Node n, boolean regex) {
        ScalarNode s = (ScalarNode) n;
        String text = s.getValue();
        Tag tag = s.getTag();
        if (tag.equals(Tag.NULL)) {
            return new SigmaValue.Null();
        }
        if (tag.equals(Tag.BOOL)) {
            return new SigmaValue.Bool(Boolean.parseBoolean(text.toLowerCase(java.util.Locale.ROOT)));
        }
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            BigDecimal d = yamlNumber(text);
            if (d == null) {
                throw new SigmaException(SigmaYaml.pos(file, n), "'" + text + "' is not a finite number");
            }
            return new SigmaValue.Num(d, text);
        }
        if (regex) {
            return SigmaString.literal(text, false).withOriginal(text);
        }
        return SigmaString.parse(text);
    }

    /** A YAML 1.2 core-schema number: decimal, 0x hex, 0o octal, or a float; null for .inf/.nan. */
    static BigDecimal yamlNumber(String text) {
        String t = text.trim();
        try {
            if (t.startsWith("0x")) {
                return new BigDecimal(new BigInteger(t.substring(2), 16));
            }
            if (t.startsWith("0o")) {
                return new BigDecimal(new BigInteger(t.substring(2), 8));
            }
            return new BigDecimal(t.startsWith("+") ? t.substring(1) : t);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

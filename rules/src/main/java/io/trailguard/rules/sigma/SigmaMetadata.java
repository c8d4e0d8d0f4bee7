package io.trailguard.rules.sigma;

import io.trailguard.rules.source.Position;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metadata every Sigma document has (pySigma's {@code SigmaRuleBase}: rules, correlations and filters alike),
 * read from the document's top-level mapping and checked as pySigma checks it when it parses a rule: the
 * {@code id} is a UUID, {@code status} and {@code level} are known words, {@code date}/{@code modified} are
 * dates, tags are {@code namespace.name}, {@code related} names UUIDs with known types, and each key has its
 * type (a string, or a list). Every problem is collected, each at the position of its value.
 */
final class SigmaMetadata {
    static final List<String> STATUSES = List.of("stable", "test", "experimental", "deprecated", "unsupported");
    static final List<String> LEVELS = List.of("informational", "low", "medium", "high", "critical");
    static final Set<String> RELATED_TYPES = Set.of("correlation", "derived", "merged", "obsolete", "renamed",
            "similar");
    static final int MAX_TITLE = 256;
    /** pySigma's accepted dates: 1000-01-01 .. 3999-12-31, dashes with two digits, or slashes with one or two. */
    private static final Pattern DASH_DATE = Pattern.compile("([1-3][0-9]{3})-([01][0-9])-([0-3][0-9])");
    private static final Pattern SLASH_DATE = Pattern.compile("([1-3][0-9]{3})/([01]?[0-9])/([0-3]?[0-9])");
    /** What a YAML 1.1 reader (pySigma's) reads as a date or a timestamp when it is not quoted. */
    private static final Pattern YAML_DATE = Pattern.compile("([0-9]{4})-([0-9]{2})-([0-9]{2})(?:(?:[Tt]|[ \\t]+).*)?");

    final String title;
    final String id;
    final String name;
    final String description;
    final String status;
    /** Lower case, one of {@link #LEVELS}; null when absent. */
    final String level;
    final List<String> tags;
    final List<String> fields;
    final List<String> falsepositives;
    final List<String> references;
    /** {@code date} and {@code modified} as {@code yyyy-mm-dd}; null when absent or invalid. */
    final String date;
    final String modified;

    private final String file;
    private final List<SigmaException> errors;

    private SigmaMetadata(String file, Map<String, Node> top, Position document, String kind,
                          List<SigmaException> errors) {
        this.file = file;
        this.errors = errors;
        Node t = top.get("title");
        String title = null;
        if (t == null || SigmaYaml.isNull(t)) {
            errors.add(new SigmaException(document, "a Sigma " + kind + " needs a 'title'"));
        } else {
            title = text(t, "title");
            if (title != null && title.trim().isEmpty()) {
                errors.add(new SigmaException(pos(t), "title is empty"));
                title = null;
            } else if (title != null && title.length() > MAX_TITLE) {
                errors.add(new SigmaException(pos(t), "title length must not exceed " + MAX_TITLE + " characters"));
            }
        }
        this.title = title == null ? null : title.trim();
        this.id = uuid(top.get("id"), "id");
        String name = text(top.get("name"), "name");
        if (name != null && name.isEmpty()) {
            errors.add(new SigmaException(pos(top.get("name")), "name must not be empty"));
            name = null;
        }
        this.name = name;
        this.description = text(top.get("description"), "description");
        this.status = word(top.get("status"), "status", STATUSES);
        this.level = word(top.get("level"), "level", LEVELS);
        text(top.get("author"), "author");
        text(top.get("license"), "license");
        Node taxonomy = top.get("taxonomy");
        String tx = text(taxonomy, "taxonomy");
        if (tx != null && tx.isEmpty()) {
            errors.add(new SigmaException(pos(taxonomy), "taxonomy must not be empty"));
        }
        date = date(top.get("date"), "date");
        modified = date(top.get("modified"), "modified");
        this.tags = list(top.get("tags"), "tags");
        for (int i = 0; i < tags.size(); i++) {
            if (tags.get(i).indexOf('.') < 0) {
                errors.add(new SigmaException(pos(((SequenceNode) top.get("tags")).getValue().get(i)), "tag '"
                        + tags.get(i) + "' must start with a namespace separated by a dot (e.g. attack.t1078)"));
            }
        }
        this.fields = list(top.get("fields"), "fields");
        this.falsepositives = list(top.get("falsepositives"), "falsepositives");
        this.references = list(top.get("references"), "references");
        list(top.get("scope"), "scope");
        related(top.get("related"));
    }

    /**
     * Reads the metadata of a document of the given kind ({@code rule}, {@code correlation}, {@code filter});
     * problems are added to {@code errors}.
     */
    static SigmaMetadata read(String file, Map<String, Node> top, Position document, String kind,
                              List<SigmaException> errors) {
        return new SigmaMetadata(file, top, document, kind, errors);
    }

    private Position pos(Node n) {
        return SigmaYaml.pos(file, n);
    }

    /** A string value (YAML str); null when absent; a number, list or mapping is an error. */
    private String text(Node n, String key) {
        if (n == null || SigmaYaml.isNull(n)) {
            return null;
        }
        if (!(n instanceof ScalarNode) || !n.getTag().equals(Tag.STR)) {
            errors.add(new SigmaException(pos(n), key + " must be a string"
                    + (n instanceof SequenceNode ? ", not a list" : "")));
            return null;
        }
        return ((ScalarNode) n).getValue();
    }

    private String word(Node n, String key, List<String> known) {
        String w = text(n, key);
        if (w == null) {
            return null;
        }
        String lower = w.trim().toLowerCase(Locale.ROOT);
        if (!known.contains(lower)) {
            String expected = String.join(", ", known.subList(0, known.size() - 1)) + " or "
                    + known.get(known.size() - 1);
            errors.add(new SigmaException(pos(n), "unknown " + key + " '" + lower + "' (expected " + expected + ")"));
            return null;
        }
        return lower;
    }

    /** A UUID as Python's {@code uuid.UUID} accepts it (optional urn:uuid: prefix, braces and hyphens). */
    private String uuid(Node n, String key) {
        if (n == null || SigmaYaml.isNull(n)) {
            return null;
        }
        if (!(n instanceof ScalarNode)) {
            errors.add(new SigmaException(pos(n), key + " must be a string UUID"));
            return null;
        }
        String text = ((ScalarNode) n).getValue();
        if (!isUuid(text)) {
            errors.add(new SigmaException(pos(n), key + " '" + text + "' must be a UUID (such as "
                    + "5f0b3c1e-7a55-4a8e-9a44-3a2b1c0d9e8f)"));
            return null;
        }
        return text;
    }

    static boolean isUuid(String text) {
        String hex = text.replace("urn:", "").replace("uuid:", "");
        int from = 0;
        int to = hex.length();
        while (from < to && (hex.charAt(from) == '{' || hex.charAt(from) == '}')) {
            from++;
        }
        while (to > from && (hex.charAt(to - 1) == '{' || hex.charAt(to - 1) == '}')) {
            to--;
        }
        hex = hex.substring(from, to).replace("-", "");
        if (hex.length() != 32) {
            return false;
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A date as pySigma accepts it: what its YAML reader reads as a date (an unquoted {@code yyyy-mm-dd}, with or
     * without a time), or text of {@link #DASH_DATE} or {@link #SLASH_DATE}; and a day of the calendar. Returns it
     * as {@code yyyy-mm-dd} ({@code 2023/5/14} is {@code 2023-05-14}), or null when absent or invalid.
     */
    private String date(Node n, String key) {
        if (n == null || SigmaYaml.isNull(n)) {
            return null;
        }
        boolean ok = false;
        String day = null;
        String text = n instanceof ScalarNode ? ((ScalarNode) n).getValue() : "(" + n.getNodeType() + ")";
        if (n instanceof ScalarNode) {
            boolean plain = ((ScalarNode) n).isPlain();
            Matcher m = plain ? YAML_DATE.matcher(text) : null;
            if (m == null || !m.matches()) {
                m = DASH_DATE.matcher(text);
                if (!m.matches()) {
                    m = SLASH_DATE.matcher(text);
                }
            }
            if (m.matches()) {
                try {
                    day = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                            Integer.parseInt(m.group(3))).toString();
                    ok = true;
                } catch (DateTimeException e) {
                    ok = false;
                }
            }
        }
        if (!ok) {
            errors.add(new SigmaException(pos(n), key + " '" + text + "' is invalid, use yyyy-mm-dd"));
        }
        return ok ? day : null;
    }

    /** A list of strings; null (absent) is empty; a scalar or mapping is an error. */
    private List<String> list(Node n, String key) {
        List<String> out = new ArrayList<>();
        if (n == null || SigmaYaml.isNull(n)) {
            return out;
        }
        if (!(n instanceof SequenceNode)) {
            errors.add(new SigmaException(pos(n), key + " must be a list"));
            return out;
        }
        for (Node item : ((SequenceNode) n).getValue()) {
            if (!(item instanceof ScalarNode) || SigmaYaml.isNull(item)) {
                errors.add(new SigmaException(pos(item), key + " must be a list of strings"));
            } else if (key.equals("tags") && !item.getTag().equals(Tag.STR)) {
                errors.add(new SigmaException(pos(item), "tags must be a list of strings"));
            } else {
                out.add(((ScalarNode) item).getValue());
            }
        }
        return out;
    }

    private void related(Node n) {
        if (n == null || SigmaYaml.isNull(n)) {
            return;
        }
        if (!(n instanceof SequenceNode)) {
            errors.add(new SigmaException(pos(n), "related must be a list"));
            return;
        }
        for (Node item : ((SequenceNode) n).getValue()) {
            Map<String, Node> m;
            try {
                m = SigmaYaml.map(file, item, "a related item");
            } catch (SigmaException e) {
                errors.add(e);
                continue;
            }
            Node id = m.get("id");
            Node type = m.get("type");
            if (id == null) {
                errors.add(new SigmaException(pos(item), "a related item must have an id field"));
            } else if (!(id instanceof ScalarNode) || !id.getTag().equals(Tag.STR)
                    || !isUuid(((ScalarNode) id).getValue())) {
                errors.add(new SigmaException(pos(id), "a related identifier must be a string UUID"));
            }
            if (type == null) {
                errors.add(new SigmaException(pos(item), "a related item must have a type field"));
            } else if (!(type instanceof ScalarNode) || !type.getTag().equals(Tag.STR)) {
                errors.add(new SigmaException(pos(type), "a related type must be a string"));
            } else if (!RELATED_TYPES.contains(((ScalarNode) type).getValue())) {
                errors.add(new SigmaException(pos(type), "'" + ((ScalarNode) type).getValue() + "' is not a valid "
                        + "related type (expected one of " + String.join(", ", new java.util.TreeSet<>(RELATED_TYPES))
                        + ")"));
            }
        }
    }
}

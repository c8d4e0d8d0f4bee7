package io.trailguard.rules.sigma;

import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.source.Position;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/** One YAML document of a Sigma file: a rule, a correlation or a filter, with its metadata. */
final class SigmaDocument {
    enum Kind { RULE, CORRELATION, FILTER }

    /** The logsource keys whose values are strings (pySigma's {@code SigmaLogSource}). */
    private static final java.util.Set<String> LOGSOURCE_KEYS = java.util.Set.of("category", "product", "service",
            "definition");

    final String file;
    final MappingNode node;
    final Position position;
    final int order;
    final Kind kind;
    final Map<String, Node> top;
    final Map<String, Node> keys;
    String title;
    String id;
    String name;
    String description;
    String status;
    String level;
    /** {@code date}/{@code modified} as {@code yyyy-mm-dd}, or null. */
    String date;
    String modified;
    final List<String> tags = new ArrayList<>();
    final List<String> fields = new ArrayList<>();
    final List<String> falsepositives = new ArrayList<>();
    final List<String> references = new ArrayList<>();
    /** The parsed {@code correlation} section of a correlation document; null for other kinds. */
    SigmaCorrelation correlation;
    /** Logsource keys (lower case) and values; null when the document has none. */
    Map<String, String> logsource;

    private SigmaDocument(String file, MappingNode node, int order, Kind kind, Map<String, Node> top) {
        this.file = file;
        this.node = node;
        this.position = Position.of(file, node);
        this.order = order;
        this.kind = kind;
        this.top = top;
        this.keys = SigmaYaml.keys(node);
    }

    /** True when a YAML document is a Sigma rule, correlation or filter (a mapping with one of those sections). */
    static boolean looksLikeSigma(Node doc) {
        if (!(doc instanceof MappingNode)) {
            return false;
        }
        Map<String, Node> keys = SigmaYaml.keys(doc);
        return keys.containsKey("detection") || keys.containsKey("correlation") || keys.containsKey("filter");
    }

    static SigmaDocument parse(String file, Node doc, int order) {
        return parse(file, doc, order, (p, m) -> { });
    }

    /**
     * Reads one document: its kind and metadata, and for a correlation its {@code correlation} section
     * ({@link SigmaCorrelation}); {@code warn} receives what is only a warning (unknown correlation keys).
     */
    static SigmaDocument parse(String file, Node doc, int order, BiConsumer<Position, String> warn) {
        if (!(doc instanceof MappingNode)) {
            throw new SigmaException(Position.of(file, doc), "a Sigma document must be a mapping (title, logsource, "
                    + "detection...); Falco rule files are sequences and cannot be mixed with Sigma documents");
        }
        Map<String, Node> top = SigmaYaml.map(file, doc, "a Sigma document");
        List<Kind> kinds = new ArrayList<>();
        if (top.containsKey("detection")) {
            kinds.add(Kind.RULE);
        }
        if (top.containsKey("correlation")) {
            kinds.add(Kind.CORRELATION);
        }
        if (top.containsKey("filter")) {
            kinds.add(Kind.FILTER);
        }
        if (top.containsKey("action")) {
            throw new SigmaException(Position.of(file, SigmaYaml.keys(doc).get("action")), "Sigma 1 rule collections "
                    + "('action: global/reset/repeat') are obsolete: write each rule as a complete document");
        }
        if (kinds.size() != 1) {
            throw new SigmaException(Position.of(file, doc), kinds.isEmpty()
                    ? "not a Sigma rule, correlation or filter: expected a 'detection', 'correlation' or 'filter' "
                    + "section (keys: " + top.keySet() + ")"
                    : "a Sigma document has exactly one of 'detection', 'correlation' and 'filter'");
        }
        SigmaDocument d = new SigmaDocument(file, (MappingNode) doc, order, kinds.get(0), top);
        d.readMetadata();
        if (d.kind == Kind.CORRELATION) {
            try {
                d.correlation = SigmaCorrelation.parse(d, warn);
            } catch (SigmaException e) {
                throw new SigmaException(e.position(), "Sigma correlation " + d.label() + ": " + e.getMessage());
            }
        }
        return d;
    }

    private void readMetadata() {
        List<SigmaException> errors = new ArrayList<>();
        SigmaMetadata m = SigmaMetadata.read(file, top, position, kindName(), errors);
        title = m.title;
        id = m.id;
        name = m.name;
        description = m.description;
        status = m.status;
        level = m.level;
        date = m.date;
        modified = m.modified;
        tags.addAll(m.tags);
        fields.addAll(m.fields);
        falsepositives.addAll(m.falsepositives);
        references.addAll(m.references);
        Node ls = top.get("logsource");
        if (ls != null && !SigmaYaml.isNull(ls)) {
            try {
                Map<String, String> map = new LinkedHashMap<>();
                for (Map.Entry<String, Node> e : SigmaYaml.map(file, ls, "logsource").entrySet()) {
                    String key = e.getKey().toLowerCase(Locale.ROOT);
                    Node v = e.getValue();
                    boolean named = LOGSOURCE_KEYS.contains(key);
                    if (named && !SigmaYaml.isNull(v) && !(v instanceof ScalarNode && v.getTag().equals(Tag.STR))) {
                        errors.add(new SigmaException(Position.of(file, v), "logsource " + key + " must be a string"));
                    } else if (v instanceof ScalarNode && !SigmaYaml.isNull(v)) {
                        map.put(key, ((ScalarNode) v).getValue());
                    }
                }
                if (kind == Kind.RULE && !map.containsKey("category") && !map.containsKey("product")
                        && !map.containsKey("service")) {
                    errors.add(new SigmaException(Position.of(file, ls), "a logsource can't be empty: it names a "
                            + "category, a product or a service"));
                }
                logsource = map;
            } catch (SigmaException e) {
                errors.add(e);
            }
        } else if (kind != Kind.CORRELATION) {
            errors.add(new SigmaException(position, "a Sigma " + kindName() + " needs a 'logsource'"));
        }
        if (!errors.isEmpty()) {
            throw SigmaException.of(errors);
        }
    }

    String kindName() {
        return kind == Kind.RULE ? "rule" : kind == Kind.CORRELATION ? "correlation" : "filter";
    }

    Position keyPosition(String key) {
        Node k = keys.get(key);
        return k == null ? position : Position.of(file, k);
    }

    /**
     * The version of its rule: the {@code modified} date, else the {@code date} ({@code yyyy-mm-dd}); null when the
     * document has neither. Sigma has no version field; the date of the last change is the one that moves when the
     * rule does.
     */
    String ruleVersion() {
        return modified != null ? modified : date;
    }

    /** The description of its rule: the document's description, else its title. */
    String ruleDescription() {
        return description == null ? title : description.trim();
    }

    /**
     * Sigma's {@code references} and {@code falsepositives} as the rule's guidance (the first reference is also
     * its remediation URL); non-text entries are left out, since neither key changes what the rule matches.
     */
    io.trailguard.rules.engine.RuleGuidance guidance() {
        List<String> refs = scalars(top.get("references"));
        List<String> fps = scalars(top.get("falsepositives"));
        if (refs.isEmpty() && fps.isEmpty()) {
            return io.trailguard.rules.engine.RuleGuidance.NONE;
        }
        return new io.trailguard.rules.engine.RuleGuidance(null, refs.isEmpty() ? null : refs.get(0), refs, null,
                fps);
    }

    private static List<String> scalars(Node n) {
        List<String> out = new ArrayList<>();
        if (n instanceof org.snakeyaml.engine.v2.nodes.SequenceNode) {
            for (Node x : ((org.snakeyaml.engine.v2.nodes.SequenceNode) n).getValue()) {
                if (x instanceof org.snakeyaml.engine.v2.nodes.ScalarNode) {
                    String v = ((org.snakeyaml.engine.v2.nodes.ScalarNode) x).getValue().trim();
                    if (!v.isEmpty()) {
                        out.add(v);
                    }
                }
            }
        } else if (n instanceof org.snakeyaml.engine.v2.nodes.ScalarNode && !SigmaYaml.isNull(n)) {
            out.add(((org.snakeyaml.engine.v2.nodes.ScalarNode) n).getValue().trim());
        }
        return out;
    }

    /** The tags, sorted, each once. */
    List<String> sortedTags() {
        return new ArrayList<>(new TreeSet<>(tags));
    }

    /** Where the document starts, as {@code file:line}. */
    String origin() {
        return position.file() + ":" + position.line();
    }

    /** How the document is named in messages: its id, else its name, and its title. */
    String label() {
        String ref = id != null ? id : name;
        return ref == null ? "'" + title + "'" : ref + " (" + title + ")";
    }

    /** Sigma level to Falco priority (null when the text is no level). */
    static Priority priority(String level) {
        switch (level) {
            case "informational":
                return Priority.INFORMATIONAL;
            case "low":
                return Priority.NOTICE;
            case "medium":
                return Priority.WARNING;
            case "high":
                return Priority.ERROR;
            case "critical":
                return Priority.CRITICAL;
            default:
                return null;
        }
    }

    /** The priority of the document's level; medium (Warning) when it has none. */
    Priority priority() {
        return level == null ? Priority.WARNING : priority(level);
    }

    /**
     * Whether a logsource selects CloudTrail (product aws, service cloudtrail): every one of product, service and
     * category that it names must match, so {@code product: aws} alone applies, {@code category: ...} does not.
     */
    static boolean isCloudTrail(Map<String, String> ls) {
        if (ls == null) {
            return false;
        }
        for (Map.Entry<String, String> e : ls.entrySet()) {
            String v = e.getValue().trim().toLowerCase(Locale.ROOT);
            switch (e.getKey()) {
                case "product":
                    if (!v.equals("aws")) {
                        return false;
                    }
                    break;
                case "service":
                    if (!v.equals("cloudtrail")) {
                        return false;
                    }
                    break;
                case "category":
                    return false;
                default:
                    break;
            }
        }
        return ls.containsKey("product") || ls.containsKey("service");
    }

    /** Whether a filter's logsource covers a rule's: each of product/service/category the filter names is equal. */
    static boolean covers(Map<String, String> filter, Map<String, String> rule) {
        for (String k : new String[] {"product", "service", "category"}) {
            String f = filter.get(k);
            if (f != null) {
                String r = rule.get(k);
                if (r == null || !r.trim().equalsIgnoreCase(f.trim())) {
                    return false;
                }
            }
        }
        return true;
    }

    static String describe(Map<String, String> ls) {
        if (ls == null) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder();
        for (String k : new String[] {"product", "service", "category"}) {
            if (ls.containsKey(k)) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(k).append(": ").append(ls.get(k));
            }
        }
        return sb.length() == 0 ? "(no product, service or category)" : sb.toString();
    }
}

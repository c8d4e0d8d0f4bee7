package io.trailguard.rules.sigma;

import io.trailguard.rules.aggregate.AggregateInput;
import io.trailguard.rules.aggregate.AggregateSpec;
import io.trailguard.rules.aggregate.AggregateType;
import io.trailguard.rules.aggregate.RateWindow;
import io.trailguard.rules.aggregate.Threshold;
import io.trailguard.rules.condition.Condition;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.field.FieldRef;
import io.trailguard.rules.field.FieldTable;
import io.trailguard.rules.output.OutputFormat;
import io.trailguard.rules.source.Diagnostic;
import io.trailguard.rules.source.Position;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;

/** Compiles the Sigma documents of one load (see {@link SigmaLoader#compile}). */
final class SigmaCompiler {
    private static final Set<String> CORRELATION_KEYS = Set.of("type", "rules", "group-by", "timespan", "condition",
            "aliases", "generate");
    private static final Set<String> CONDITION_OPS = Set.of("gt", "gte", "lt", "lte", "eq", "neq");
    private static final java.util.regex.Pattern TIMESPAN = java.util.regex.Pattern.compile("(\\d{1,9})([smhdwMy])");

    /** A Sigma detection rule being compiled. */
    private static final class Base {
        final SigmaDocument doc;
        Detection.DNode node;
        boolean skipped;
        boolean failed;
        final List<String> errata = new ArrayList<>();
        boolean referenced;
        boolean generate;
        String ruleName;
        Rule rule;

        Base(SigmaDocument doc) {
            this.doc = doc;
        }

        boolean alerts() {
            return !referenced || generate;
        }
    }

    /** A Sigma correlation being compiled. */
    private static final class Corr {
        final SigmaDocument doc;
        int state; // 0 new, 1 visiting, 2 done
        boolean ok;
        AggregateType type;
        List<String> groupBy = List.of();
        long span;
        Threshold threshold;
        List<String> valueFields = List.of();
        boolean generate;
        final List<Object> steps = new ArrayList<>(); // Base | Corr per rules entry
        final List<Object> targets = new ArrayList<>(); // distinct, in order
        final Map<Object, String> stepKeys = new IdentityHashMap<>();
        final Map<String, Map<Object, String>> aliases = new LinkedHashMap<>();
        boolean referenced;
        boolean generateByOuter;
        String ruleName;
        Rule rule;

        Corr(SigmaDocument doc) {
            this.doc = doc;
        }

        boolean alerts() {
            return !referenced || generateByOuter;
        }
    }

    /** A correlation that cannot run because something it references was skipped (a warning, not an error). */
    private static final class Skip extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Skip(String message) {
            super(message);
        }
    }

    /** A correlation that cannot run because something it references failed (already reported). */
    private static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private final List<SigmaDocument> docs;
    private final Set<String> failedRefs;
    private final FieldTable fields;
    private final Errata errata;
    private final List<Diagnostic> diagnostics;
    private final Map<String, SigmaDocument> byId = new HashMap<>();
    private final Map<String, SigmaDocument> byName = new HashMap<>();
    private final Map<String, List<SigmaDocument>> byTitle = new HashMap<>();
    private final Map<SigmaDocument, Base> bases = new LinkedHashMap<>();
    private final Map<SigmaDocument, Corr> corrs = new LinkedHashMap<>();
    private final Map<SigmaDocument, List<SigmaFilter>> filtersByRule = new IdentityHashMap<>();
    private final List<SigmaFilter> anyFilters = new ArrayList<>();
    private final Set<SigmaFilter> brokenFilters = new HashSet<>();

    SigmaCompiler(List<SigmaDocument> docs, Set<String> failedRefs, FieldTable fields, Errata errata,
                  List<Diagnostic> diagnostics) {
        this.docs = docs;
        this.failedRefs = failedRefs;
        this.fields = fields;
        this.errata = errata;
        this.diagnostics = diagnostics;
    }

    private void error(Position p, String message) {
        diagnostics.add(Diagnostic.error(p, message));
    }

    private void warn(Position p, String message) {
        diagnostics.add(Diagnostic.warning(p, message));
    }

    private void warn(Detection.Diagnosis d) {
        warn(d.position, d.message);
    }

    List<Rule> compile(Predicate<Rule> selected, Set<String> takenNames) {
        index();
        readFilters();
        for (SigmaDocument d : docs) {
            if (d.kind == SigmaDocument.Kind.RULE) {
                Base b = new Base(d);
                bases.put(d, b);
                compileBase(b);
            } else if (d.kind == SigmaDocument.Kind.CORRELATION) {
                corrs.put(d, new Corr(d));
            }
        }
        for (Corr c : corrs.values()) {
            resolve(c);
        }
        for (Corr c : corrs.values()) {
            if (!c.ok) {
                continue;
            }
            for (Object t : c.targets) {
                if (t instanceof Base) {
                    ((Base) t).referenced = true;
                    ((Base) t).generate |= c.generate;
                } else {
                    ((Corr) t).referenced = true;
                    ((Corr) t).generateByOuter |= c.generate;
                }
            }
        }
        if (diagnostics.stream().anyMatch(Diagnostic::isError)) {
            return List.of();
        }
        Set<String> taken = new HashSet<>(takenNames);
        for (SigmaDocument d : docs) {
            Base b = bases.get(d);
            if (b != null && b.node != null && b.alerts()) {
                b.ruleName = uniqueName(d, taken);
            }
            Corr c = corrs.get(d);
            if (c != null && c.ok) {
                c.ruleName = uniqueName(d, taken);
            }
        }
        List<Rule> out = new ArrayList<>();
        for (SigmaDocument d : docs) {
            Base b = bases.get(d);
            if (b != null && b.ruleName != null) {
                b.rule = baseRule(b);
                if (selected.test(b.rule)) {
                    out.add(b.rule);
                }
            }
        }
        for (Corr c : corrs.values()) {
            if (c.ok) {
                try {
                    c.rule = correlationRule(c);
                } catch (SigmaException e) {
                    error(e.position(), e.getMessage());
                }
            }
        }
        if (diagnostics.stream().anyMatch(Diagnostic::isError)) {
            return List.of();
        }
        Set<Corr> kept = new LinkedHashSet<>();
        for (Corr c : corrs.values()) {
            if (c.rule != null && c.alerts() && selected.test(c.rule)) {
                keep(c, kept);
            }
        }
        for (Corr c : corrs.values()) {
            if (kept.contains(c)) {
                out.add(c.rule);
            }
        }
        out.sort((x, y) -> Integer.compare(x.position(), y.position()));
        return out;
    }

    private static void keep(Corr c, Set<Corr> kept) {
        if (kept.add(c)) {
            for (Object t : c.targets) {
                if (t instanceof Corr) {
                    keep((Corr) t, kept);
                }
            }
        }
    }

    // ---- references -------------------------------------------------------------------------------

    private void index() {
        for (SigmaDocument d : docs) {
            if (d.id != null) {
                SigmaDocument prev = byId.putIfAbsent(d.id, d);
                if (prev != null) {
                    error(d.keyPosition("id"), "duplicate Sigma id " + d.id + " (also " + prev.position + ")");
                }
            }
            if (d.name != null) {
                SigmaDocument prev = byName.putIfAbsent(d.name, d);
                if (prev != null) {
                    error(d.keyPosition("name"), "duplicate Sigma name '" + d.name + "' (also " + prev.position
                            + "): names must be unique");
                }
            }
            byTitle.computeIfAbsent(d.title, k -> new ArrayList<>()).add(d);
        }
    }

    /**
     * The document a reference names: by id, then by name, then (for compatibility with rule sets that reference
     * titles, e.g. suzaku-rules) by title when exactly one document has it. Null when none.
     */
    private SigmaDocument lookup(String ref) {
        SigmaDocument d = byId.get(ref);
        if (d == null) {
            d = byName.get(ref);
        }
        if (d == null) {
            List<SigmaDocument> t = byTitle.get(ref);
            if (t != null && t.size() == 1) {
                d = t.get(0);
            }
        }
        return d;
    }

    private String unknownReference(String ref) {
        List<SigmaDocument> t = byTitle.get(ref);
        if (t != null && t.size() > 1) {
            return "rule reference '" + ref + "' is ambiguous: " + t.size() + " documents have that title (reference "
                    + "them by id or name)";
        }
        return "unknown rule reference '" + ref + "' (no loaded Sigma rule or correlation has that id, name or title)";
    }

    // ---- filters ------------------------------------------------------------------------------------

    private void readFilters() {
        for (SigmaDocument d : docs) {
            if (d.kind != SigmaDocument.Kind.FILTER) {
                continue;
            }
            SigmaFilter f;
            try {
                f = SigmaFilter.read(d);
            } catch (SigmaException e) {
                error(e.position(), e.getMessage());
                continue;
            }
            if (!SigmaDocument.isCloudTrail(d.logsource)) {
                warn(d.position, "Sigma filter " + d.label() + " is for logsource " + SigmaDocument.describe(d.logsource)
                        + ", not product: aws, service: cloudtrail; ignored");
                continue;
            }
            if (f.any) {
                anyFilters.add(f);
                continue;
            }
            for (SigmaFilter.Target t : f.targets) {
                SigmaDocument target = lookup(t.reference);
                if (target == null) {
                    if (!failedRefs.contains(t.reference)) {
                        warn(SigmaYaml.pos(d.file, t.node), "Sigma filter " + d.label() + ": "
                                + unknownReference(t.reference) + "; this target is ignored");
                    }
                } else if (target.kind != SigmaDocument.Kind.RULE) {
                    warn(SigmaYaml.pos(d.file, t.node), "Sigma filter " + d.label() + ": '" + t.reference + "' is a "
                            + target.kindName() + "; filters apply to detection rules only");
                } else {
                    filtersByRule.computeIfAbsent(target, k -> new ArrayList<>()).add(f);
                }
            }
        }
    }

    private List<SigmaFilter> filtersFor(SigmaDocument rule) {
        List<SigmaFilter> out = new ArrayList<>();
        for (SigmaFilter f : anyFilters) {
            if (SigmaDocument.covers(f.doc.logsource, rule.logsource)) {
                out.add(f);
            }
        }
        for (SigmaFilter f : filtersByRule.getOrDefault(rule, List.of())) {
            if (SigmaDocument.covers(f.doc.logsource, rule.logsource) && !out.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /** A filter's compiled condition, or null when it failed (reported once). */
    private Detection.DNode filterNode(SigmaFilter f) {
        if (brokenFilters.contains(f)) {
            return null;
        }
        try {
            return f.compile(fields, this::warn);
        } catch (SigmaException e) {
            brokenFilters.add(f);
            error(e.position(), "Sigma filter " + f.doc.label() + ": " + e.getMessage());
            return null;
        } catch (SkipRule e) {
            brokenFilters.add(f);
            error(e.position(), "Sigma filter " + f.doc.label() + ": " + e.getMessage());
            return null;
        }
    }

    // ---- detection rules ----------------------------------------------------------------------------

    private void compileBase(Base b) {
        SigmaDocument d = b.doc;
        if (!SigmaDocument.isCloudTrail(d.logsource)) {
            b.skipped = true;
            warn(d.keyPosition("logsource"), "Sigma rule " + d.label() + " is for logsource "
                    + SigmaDocument.describe(d.logsource) + ", not product: aws, service: cloudtrail; skipped");
            return;
        }
        try {
            Node detection = d.top.get("detection");
            List<SigmaFilter> extra = new ArrayList<>();
            for (Errata.Erratum er : errata.forRule(d.id)) {
                if (!er.matches(d)) {
                    warn(d.position, "Sigma rule " + d.id + " (" + d.title + "): erratum " + er.id() + " no longer "
                            + "matches the rule (the defect '" + er.key + ": " + er.value + "' in '" + er.identifier
                            + "' is gone; fixed upstream?): not applied");
                    continue;
                }
                if (er.remove && detection instanceof MappingNode) {
                    detection = er.withoutDefect((MappingNode) detection);
                }
                if (er.filter != null) {
                    extra.add(er.filter);
                }
                b.errata.add(er.id());
                warn(d.position, "Sigma rule " + d.id + " (" + d.title + "): erratum " + er.id() + " applied: "
                        + er.reason);
            }
            Detection det = new Detection(d.file, detection, Set.of("condition"), fields, this::warn);
            Node condition = SigmaYaml.map(d.file, detection, "detection").get("condition");
            if (condition == null) {
                throw new SigmaException(d.keyPosition("detection"), "detection has no 'condition'");
            }
            Detection.DNode node = det.condition(condition);
            List<Detection.DNode> all = new ArrayList<>();
            all.add(node);
            for (SigmaFilter f : extra) {
                Detection.DNode fn = filterNode(f);
                if (fn != null) {
                    all.add(fn);
                }
            }
            for (SigmaFilter f : filtersFor(d)) {
                Detection.DNode fn = filterNode(f);
                if (fn != null) {
                    all.add(fn);
                }
            }
            b.node = all.size() == 1 ? node : new Detection.And(all);
        } catch (SigmaException e) {
            b.failed = true;
            error(e.position(), "Sigma rule " + d.label() + ": " + e.getMessage());
        } catch (SkipRule e) {
            b.skipped = true;
            warn(e.position(), "Sigma rule " + d.label() + " rejected: " + e.getMessage());
        }
    }

    private Rule baseRule(Base b) {
        SigmaDocument d = b.doc;
        OutputFormat output = SigmaOutput.detection(fields, d, b.errata);
        return new Rule(b.ruleName, description(d), b.node.condition(), output, d.priority(), tags(d),
                SigmaLoader.SOURCE, d.order, b.node.eventNames(), origin(d));
    }

    private static String description(SigmaDocument d) {
        return d.description == null ? d.title : d.description.trim();
    }

    private static List<String> tags(SigmaDocument d) {
        return new ArrayList<>(new TreeSet<>(d.tags));
    }

    private static String origin(SigmaDocument d) {
        return d.position.file() + ":" + d.position.line();
    }

    /** The title, or when another rule already has that name, the title with the id (or name, or load order). */
    private String uniqueName(SigmaDocument d, Set<String> taken) {
        String name = d.title;
        if (!taken.contains(name)) {
            taken.add(name);
            return name;
        }
        String suffix = d.id != null ? d.id : d.name != null ? d.name : "#" + d.order;
        String alt = d.title + " [" + suffix + "]";
        for (int i = 2; taken.contains(alt); i++) {
            alt = d.title + " [" + suffix + " " + i + "]";
        }
        taken.add(alt);
        warn(d.keyPosition("title"), "Sigma " + d.kindName() + " " + d.label() + ": another rule is already named '"
                + d.title + "'; this one is named '" + alt + "'");
        return alt;
    }

    // ---- correlations -------------------------------------------------------------------------------

    private void resolve(Corr c) {
        if (c.state == 2) {
            return;
        }
        if (c.state == 1) {
            throw new SigmaException(c.doc.keyPosition("correlation"), "correlation " + c.doc.label()
                    + " references itself through a chain of correlations");
        }
        c.state = 1;
        try {
            parseCorrelation(c);
            c.ok = true;
        } catch (SigmaException e) {
            if (c.state != 2) {
                error(e.position(), "Sigma correlation " + c.doc.label() + ": " + e.getMessage());
            }
        } catch (Skip e) {
            warn(c.doc.position, "Sigma correlation " + c.doc.label() + " skipped: " + e.getMessage());
        } catch (Failed e) {
            // reported where it failed
        } finally {
            c.state = 2;
        }
    }

    private void parseCorrelation(Corr c) {
        SigmaDocument d = c.doc;
        String file = d.file;
        Node section = d.top.get("correlation");
        Map<String, Node> m = SigmaYaml.map(file, section, "correlation");
        Map<String, Node> keys = SigmaYaml.keys(section);
        for (String k : m.keySet()) {
            if (!CORRELATION_KEYS.contains(k)) {
                warn(SigmaYaml.pos(file, keys.get(k)), "Sigma correlation " + d.label() + ": unknown key '" + k
                        + "' ignored (known: " + new TreeSet<>(CORRELATION_KEYS) + ")");
            }
        }
        Node typeNode = m.get("type");
        if (typeNode == null) {
            throw new SigmaException(SigmaYaml.pos(file, section), "a correlation needs a 'type'");
        }
        String type = SigmaYaml.string(file, typeNode, "correlation type");
        c.type = AggregateType.parse(type);
        if (type.equals("value_percentile") || type.equals("value_median")) {
            throw new SigmaException(SigmaYaml.pos(file, typeNode), "correlation type " + type + " is not supported "
                    + "(supported: event_count, value_count, value_sum, value_avg, temporal, temporal_ordered)");
        }
        if (c.type == null) {
            throw new SigmaException(SigmaYaml.pos(file, typeNode), "unknown correlation type '" + type
                    + "' (expected event_count, value_count, value_sum, value_avg, temporal or temporal_ordered)");
        }
        Node conditionNode = m.get("condition");
        if (conditionNode instanceof ScalarNode && !SigmaYaml.isNull(conditionNode)) {
            throw new SigmaException(SigmaYaml.pos(file, conditionNode), "extended (boolean expression) correlation "
                    + "conditions are not supported: the condition is a mapping such as 'gte: 3'");
        }
        Node rules = m.get("rules");
        if (rules == null || SigmaYaml.isNull(rules)) {
            throw new SigmaException(SigmaYaml.pos(file, section), "a correlation needs 'rules': the ids or names of "
                    + "the rules it correlates");
        }
        List<Node> refNodes = rules instanceof SequenceNode ? ((SequenceNode) rules).getValue() : List.of(rules);
        if (refNodes.isEmpty()) {
            throw new SigmaException(SigmaYaml.pos(file, rules), "'rules' is empty");
        }
        for (Node r : refNodes) {
            String ref = SigmaYaml.string(file, r, "a rule reference");
            c.steps.add(target(c, ref, r));
        }
        for (Object t : c.steps) {
            if (!c.targets.contains(t)) {
                c.targets.add(t);
            }
        }
        assignStepKeys(c);
        Node groupBy = m.get("group-by");
        if (groupBy != null && !SigmaYaml.isNull(groupBy)) {
            c.groupBy = SigmaYaml.strings(file, groupBy, "group-by");
        }
        Node span = m.get("timespan");
        if (span == null) {
            throw new SigmaException(SigmaYaml.pos(file, section), "a correlation needs a 'timespan' (e.g. 5m)");
        }
        c.span = timespan(file, span);
        c.generate = m.containsKey("generate") && SigmaYaml.bool(file, m.get("generate"), "generate");
        Node aliases = m.get("aliases");
        if (aliases != null && !SigmaYaml.isNull(aliases)) {
            for (Map.Entry<String, Node> a : SigmaYaml.map(file, aliases, "aliases").entrySet()) {
                Map<Object, String> perRule = new IdentityHashMap<>();
                Map<String, Node> entryKeys = SigmaYaml.keys(a.getValue());
                for (Map.Entry<String, Node> e : SigmaYaml.map(file, a.getValue(), "alias " + a.getKey()).entrySet()) {
                    SigmaDocument target = lookup(e.getKey());
                    Object t = target == null ? null : target.kind == SigmaDocument.Kind.RULE ? bases.get(target)
                            : corrs.get(target);
                    if (t == null || !c.targets.contains(t)) {
                        throw new SigmaException(SigmaYaml.pos(file, entryKeys.get(e.getKey())), "alias '" + a.getKey()
                                + "': '" + e.getKey() + "' is not one of the correlated rules");
                    }
                    perRule.put(t, SigmaYaml.string(file, e.getValue(), "alias field"));
                }
                c.aliases.put(a.getKey(), perRule);
            }
        }
        threshold(c, conditionNode);
    }

    /** The Base or Corr a reference names (resolving a referenced correlation first). */
    private Object target(Corr c, String ref, Node at) {
        SigmaDocument d = lookup(ref);
        if (d == null) {
            if (failedRefs.contains(ref)) {
                throw new Failed();
            }
            throw new SigmaException(SigmaYaml.pos(c.doc.file, at), unknownReference(ref));
        }
        if (d.kind == SigmaDocument.Kind.FILTER) {
            throw new SigmaException(SigmaYaml.pos(c.doc.file, at), "'" + ref + "' is a filter, not a rule");
        }
        if (d.kind == SigmaDocument.Kind.RULE) {
            Base b = bases.get(d);
            if (b.failed) {
                throw new Failed();
            }
            if (b.skipped) {
                throw new Skip("it references rule " + d.label() + ", which was skipped");
            }
            return b;
        }
        Corr inner = corrs.get(d);
        if (inner == c || inner.state == 1) {
            throw new SigmaException(SigmaYaml.pos(c.doc.file, at), "correlation chain loops back to " + d.label());
        }
        resolve(inner);
        if (!inner.ok) {
            if (diagnostics.stream().anyMatch(x -> x.isError())) {
                throw new Failed();
            }
            throw new Skip("it references correlation " + d.label() + ", which was skipped");
        }
        return inner;
    }

    /** Step keys: each referenced rule's name, else id, else title; unique within the correlation. */
    private static void assignStepKeys(Corr c) {
        Set<String> used = new HashSet<>();
        for (Object t : c.targets) {
            SigmaDocument d = t instanceof Base ? ((Base) t).doc : ((Corr) t).doc;
            String key = d.name != null ? d.name : d.id != null ? d.id : d.title;
            String k = key;
            for (int i = 2; !used.add(k); i++) {
                k = key + "#" + i;
            }
            c.stepKeys.put(t, k);
        }
    }

    private static long timespan(String file, Node n) {
        String t = SigmaYaml.string(file, n, "timespan").trim();
        Matcher mt = TIMESPAN.matcher(t);
        if (!mt.matches()) {
            throw new SigmaException(SigmaYaml.pos(file, n), "invalid timespan '" + t + "' (a number followed by s, m, "
                    + "h, d, w, M or y, e.g. 10m)");
        }
        long count = Long.parseLong(mt.group(1));
        long seconds;
        switch (mt.group(2)) {
            case "s":
                seconds = 1;
                break;
            case "m":
                seconds = 60;
                break;
            case "h":
                seconds = 3600;
                break;
            case "d":
                seconds = 86_400;
                break;
            case "w":
                seconds = 604_800;
                break;
            case "M":
                seconds = 2_629_746;
                break;
            default:
                seconds = 31_556_952;
                break;
        }
        if (count <= 0) {
            throw new SigmaException(SigmaYaml.pos(file, n), "timespan must be positive");
        }
        return count * seconds * 1000L;
    }

    private void threshold(Corr c, Node conditionNode) {
        String file = c.doc.file;
        List<String> ops = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        if (conditionNode == null || SigmaYaml.isNull(conditionNode)) {
            if (!c.type.isTemporal()) {
                throw new SigmaException(c.doc.keyPosition("correlation"), "a " + c.type.text() + " correlation needs "
                        + "a 'condition' such as 'gte: 10'");
            }
            ops.add("gte");
            values.add((double) (c.type == AggregateType.TEMPORAL ? c.targets.size() : c.steps.size()));
        } else {
            Map<String, Node> cond = SigmaYaml.map(file, conditionNode, "condition");
            Map<String, Node> keys = SigmaYaml.keys(conditionNode);
            for (Map.Entry<String, Node> e : cond.entrySet()) {
                String k = e.getKey();
                if (CONDITION_OPS.contains(k)) {
                    BigDecimal v = e.getValue() instanceof ScalarNode
                            && (e.getValue().getTag().equals(Tag.INT) || e.getValue().getTag().equals(Tag.FLOAT))
                            ? Detection.yamlNumber(((ScalarNode) e.getValue()).getValue()) : null;
                    if (v == null) {
                        throw new SigmaException(SigmaYaml.pos(file, e.getValue()), "condition " + k + " must be a "
                                + "number");
                    }
                    ops.add(k);
                    values.add(v.doubleValue());
                } else if (k.equals("field")) {
                    c.valueFields = SigmaYaml.strings(file, e.getValue(), "condition field");
                } else if (k.equals("percentile")) {
                    throw new SigmaException(SigmaYaml.pos(file, keys.get(k)), "'percentile' belongs to "
                            + "value_percentile, which is not supported");
                } else {
                    throw new SigmaException(SigmaYaml.pos(file, keys.get(k)), "unknown condition key '" + k
                            + "' (expected gt, gte, lt, lte, eq, neq and, for value_* types, field)");
                }
            }
            if (ops.isEmpty() || ops.size() > 2) {
                throw new SigmaException(SigmaYaml.pos(file, conditionNode), "a correlation condition needs one "
                        + "comparison, or two for a range, of gt, gte, lt, lte, eq, neq (found " + ops.size() + ")");
            }
        }
        if (c.type.needsField() && c.valueFields.isEmpty()) {
            throw new SigmaException(SigmaYaml.pos(file, conditionNode), "a " + c.type.text() + " correlation needs "
                    + "'field' in its condition");
        }
        if (!c.type.needsField() && !c.valueFields.isEmpty()) {
            throw new SigmaException(SigmaYaml.pos(file, conditionNode), "a " + c.type.text() + " correlation takes "
                    + "no 'field'");
        }
        if ((c.type == AggregateType.VALUE_SUM || c.type == AggregateType.VALUE_AVG) && c.valueFields.size() > 1) {
            throw new SigmaException(SigmaYaml.pos(file, conditionNode), c.type.text() + " measures one field");
        }
        if (c.type == AggregateType.EVENT_COUNT) {
            for (double v : values) {
                if (v > RateWindow.MAX_ENTRIES) {
                    throw new SigmaException(SigmaYaml.pos(file, conditionNode), "event_count thresholds above "
                            + RateWindow.MAX_ENTRIES + " are not supported (events kept per group)");
                }
            }
        }
        c.threshold = new Threshold(ops, values);
    }

    /** The field a group-by or value name stands for in the events of a referenced rule (aliases applied). */
    private static String fieldFor(Corr c, String name, Object target) {
        Map<Object, String> alias = c.aliases.get(name);
        if (alias != null && alias.containsKey(target)) {
            return alias.get(target);
        }
        return name;
    }

    private Rule correlationRule(Corr c) {
        SigmaDocument d = c.doc;
        List<AggregateInput> inputs = new ArrayList<>();
        List<Condition> conditions = new ArrayList<>();
        Set<String> eventNames = new HashSet<>();
        boolean unconstrained = false;
        for (Object t : c.targets) {
            String step = c.type.isTemporal() ? c.stepKeys.get(t) : null;
            if (t instanceof Base) {
                Base b = (Base) t;
                List<FieldRef> group = new ArrayList<>();
                for (String g : c.groupBy) {
                    String path = fieldFor(c, g, t);
                    group.add(SigmaOutput.text(fields, path, path));
                }
                FieldRef value = null;
                if (c.type.needsField()) {
                    value = valueField(c, t);
                }
                Condition cond = b.node.condition();
                conditions.add(cond);
                inputs.add(AggregateInput.events(step, cond, group, value));
                Set<String> hint = b.node.eventNames();
                if (hint == null) {
                    unconstrained = true;
                } else {
                    eventNames.addAll(hint);
                }
            } else {
                Corr inner = (Corr) t;
                int[] index = new int[c.groupBy.size()];
                for (int i = 0; i < index.length; i++) {
                    String name = fieldFor(c, c.groupBy.get(i), t);
                    index[i] = inner.groupBy.indexOf(name);
                    if (index[i] < 0) {
                        throw new SigmaException(d.keyPosition("correlation"), "group-by '" + c.groupBy.get(i)
                                + "' is not carried by the chained correlation " + inner.doc.label() + " (its group-by: "
                                + inner.groupBy + "); an outer correlation can only group by the inner one's "
                                + "group-by fields");
                    }
                }
                int valueIndex = -1;
                if (c.type.needsField()) {
                    if (c.valueFields.size() != 1) {
                        throw new SigmaException(d.keyPosition("correlation"), "a chained " + c.type.text()
                                + " measures one group-by field of the inner correlation");
                    }
                    String name = fieldFor(c, c.valueFields.get(0), t);
                    valueIndex = inner.groupBy.indexOf(name);
                    if (valueIndex < 0) {
                        throw new SigmaException(d.keyPosition("correlation"), "field '" + c.valueFields.get(0)
                                + "' is not carried by the chained correlation " + inner.doc.label()
                                + " (its group-by: " + inner.groupBy + ")");
                    }
                }
                inputs.add(AggregateInput.chained(step, inner.ruleName, index, valueIndex));
            }
        }
        List<FieldRef> groupNames = new ArrayList<>();
        for (String g : c.groupBy) {
            groupNames.add(SigmaOutput.text(fields, g, g));
        }
        FieldRef valueName = null;
        if (c.type.needsField()) {
            valueName = c.valueFields.size() == 1 ? SigmaOutput.text(fields, c.valueFields.get(0), c.valueFields.get(0))
                    : tuple(c.valueFields, c.valueFields);
        }
        List<String> steps = new ArrayList<>();
        if (c.type.isTemporal()) {
            for (Object t : c.steps) {
                steps.add(c.stepKeys.get(t));
            }
        }
        AggregateSpec spec = new AggregateSpec(c.type, groupNames, valueName, c.span, c.threshold, steps, inputs,
                c.alerts());
        Condition[] cs = conditions.toArray(new Condition[0]);
        Condition any = ctx -> {
            for (Condition x : cs) {
                if (x.test(ctx)) {
                    return true;
                }
            }
            return false;
        };
        OutputFormat output = SigmaOutput.correlation(fields, d, c.type, c.groupBy, c.valueFields);
        return new Rule(c.ruleName, description(d), any, output, d.priority(), tags(d), SigmaLoader.SOURCE, d.order,
                unconstrained ? null : eventNames, origin(d), spec, fingerprint(c), SigmaOutput.eventFields(fields));
    }

    private FieldRef valueField(Corr c, Object target) {
        List<String> paths = new ArrayList<>();
        for (String f : c.valueFields) {
            paths.add(fieldFor(c, f, target));
        }
        if (paths.size() == 1) {
            return SigmaOutput.text(fields, paths.get(0), paths.get(0));
        }
        return tuple(c.valueFields, paths);
    }

    private FieldRef tuple(List<String> names, List<String> paths) {
        return fields.ref(SigmaTupleField.canonicalName(paths) + "\u0001" + String.join("\u0000", names),
                () -> new SigmaTupleField(names, paths));
    }

    /** Digest of everything that defines a correlation's counting: its document and what it references. */
    private String fingerprint(Corr c) {
        StringBuilder sb = new StringBuilder();
        fingerprint(c, sb, 0);
        try {
            byte[] dg = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                hex.append(String.format(Locale.ROOT, "%02x", dg[i]));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void fingerprint(Corr c, StringBuilder sb, int depth) {
        sb.append("correlation ").append(c.ruleName).append(' ').append(c.alerts()).append('\n')
                .append(SigmaYaml.canonical(c.doc.node)).append('\n');
        if (depth > 50) {
            return;
        }
        for (Object t : c.targets) {
            if (t instanceof Corr) {
                fingerprint((Corr) t, sb, depth + 1);
            } else {
                Base b = (Base) t;
                sb.append("rule ").append(SigmaYaml.canonical(b.doc.node)).append('\n').append(b.errata).append('\n');
                for (SigmaFilter f : filtersFor(b.doc)) {
                    sb.append("filter ").append(SigmaYaml.canonical(f.doc.node)).append('\n');
                }
            }
        }
    }
}

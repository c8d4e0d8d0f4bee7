package io.trailguard.rules.loader;

import io.trailguard.rules.aggregate.AggregateSpec;
import io.trailguard.rules.aggregate.AggregateType;
import io.trailguard.rules.aggregate.RateWindow;
import io.trailguard.rules.aggregate.Threshold;
import io.trailguard.rules.condition.Condition;
import io.trailguard.rules.condition.ConditionCompiler;
import io.trailguard.rules.condition.ConditionParser;
import io.trailguard.rules.condition.ConditionSyntaxException;
import io.trailguard.rules.condition.ListResolver;
import io.trailguard.rules.condition.ast.AndExpr;
import io.trailguard.rules.condition.ast.Expr;
import io.trailguard.rules.condition.ast.FieldExpr;
import io.trailguard.rules.condition.ast.NotExpr;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.field.AggregateField;
import io.trailguard.rules.field.EventFields;
import io.trailguard.rules.field.FieldRef;
import io.trailguard.rules.field.FieldTable;
import io.trailguard.rules.incident.IncidentPolicy;
import io.trailguard.rules.output.OutputFormat;
import io.trailguard.rules.sigma.SigmaLoader;
import io.trailguard.rules.source.Diagnostic;
import io.trailguard.rules.source.Position;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns collected definitions into a {@link RuleSet}: resolves lists, compiles macros (each sees only the
 * macros defined before it), then compiles every rule with its exceptions, output format and index hint.
 */
final class RuleCompiler {
    static final String SOURCE = "aws_cloudtrail";
    /** Sysdig Cloud Connector rules said k8s_audit but read only these field families. */
    private static final Set<String> CONNECTOR_FIELD_PREFIXES = Set.of("jevt.", "json.", "aws.");

    private final RuleCollector c;
    private final LoadOptions options;
    private final Map<String, List<String>> lists = new HashMap<>();
    private final Map<String, Expr> macros = new HashMap<>();
    private final Map<String, Integer> macroOrder = new HashMap<>();
    private final Map<Expr, int[]> macroSizes = new java.util.IdentityHashMap<>();
    private final FieldTable fields = new FieldTable();
    private final ConditionCompiler compiler = new ConditionCompiler(fields);
    private final ListResolver listResolver;
    private final java.util.Set<String> listMisses = new java.util.LinkedHashSet<>();

    private final SigmaLoader sigma;
    private IncidentPolicy incidentPolicy = IncidentPolicy.defaults();

    RuleCompiler(RuleCollector collector, LoadOptions options) {
        this(collector, options, new SigmaLoader());
    }

    RuleCompiler(RuleCollector collector, LoadOptions options, SigmaLoader sigma) {
        this.c = collector;
        this.options = options;
        this.sigma = sigma;
        this.listResolver = name -> {
            List<String> items = lists.get(name);
            if (items != null) {
                collector.lists.get(name).used = true;
            } else if (name.indexOf('_') > 0 && name.matches("[A-Za-z][A-Za-z0-9_]*")) {
                listMisses.add(name);
            }
            return items;
        };
    }

    /** The rule set, or null when a definition failed to compile (errors are in the collector). */
    RuleSet compile() {
        resolveLists();
        readIncidentPolicy();
        compileMacros();
        List<Rule> rules = new ArrayList<>();
        for (RuleDef def : c.rules.values()) {
            applySelections(def);
            Rule r = compileRule(def);
            if (r != null && def.enabled && r.priority().atLeast(options.minPriority())) {
                rules.add(r);
            }
        }
        for (ListDef l : c.lists.values()) {
            if (!l.used) {
                c.warn(l.position, "List '" + l.name + "' is defined but not used");
            }
        }
        for (MacroDef m : c.macros.values()) {
            if (!m.used) {
                c.warn(m.position, "Macro '" + m.name + "' is defined but not used");
            }
        }
        if (!sigma.isEmpty()) {
            Set<String> taken = new java.util.HashSet<>(c.rules.keySet());
            rules.addAll(sigma.compile(fields, options.sigmaErrata(), this::selected, taken, c.diagnostics));
        }
        boolean failed = c.diagnostics.stream().anyMatch(Diagnostic::isError);
        return failed ? null : new RuleSet(rules, options.matching(), fields.size(), EventFields.hostname(),
                options.bundleVersion());
    }

    /** The incident settings the lists define (defaults until {@link #compile()} has read them). */
    IncidentPolicy incidentPolicy() {
        return incidentPolicy;
    }

    /**
     * Reads the incident lists ({@link IncidentPolicy#LISTS}): each is used by the incident stage, and a list that
     * holds no valid value of its kind is an error at the list.
     */
    private void readIncidentPolicy() {
        Map<String, List<String>> valid = new HashMap<>();
        for (String name : IncidentPolicy.LISTS) {
            ListDef def = c.lists.get(name);
            if (def == null) {
                continue;
            }
            def.used = true;
            try {
                IncidentPolicy.fromLists(Map.of(name, lists.get(name)));
                valid.put(name, lists.get(name));
            } catch (IllegalArgumentException e) {
                c.error(def.position, e.getMessage());
            }
        }
        incidentPolicy = IncidentPolicy.fromLists(valid);
    }

    private void resolveLists() {
        List<ListDef> ordered = new ArrayList<>(c.lists.values());
        ordered.sort((a, b) -> Integer.compare(a.order, b.order));
        for (ListDef l : ordered) {
            List<String> items = new ArrayList<>();
            for (String item : l.items) {
                ListDef ref = c.lists.get(item);
                if (ref != null && ref.order < l.order && lists.containsKey(item)) {
                    ref.used = true;
                    items.addAll(lists.get(item));
                } else {
                    items.add(item);
                }
            }
            lists.put(l.name, items);
        }
    }

    private void compileMacros() {
        List<MacroDef> ordered = new ArrayList<>(c.macros.values());
        ordered.sort((a, b) -> Integer.compare(a.order, b.order));
        for (MacroDef m : ordered) {
            macroOrder.put(m.name, m.order);
        }
        for (MacroDef m : ordered) {
            try {
                listMisses.clear();
                Expr parsed = ConditionParser.parse(withUnusualListNames(m.condition), listResolver);
                warnNearListNames(m.conditionPosition, "macro '" + m.name + "'");
                Expr expanded = new MacroExpander(name -> visibleMacro(name, m.order), macroSizes).expand(parsed);
                macros.put(m.name, expanded);
            } catch (ConditionSyntaxException e) {
                if (m.appendedAt != null) {
                    c.error(m.appendedAt, "macro '" + m.name + "': " + explain(e) + " (in the condition this "
                            + "appends to the macro defined at " + m.position + ")");
                    continue;
                }
                c.error(m.conditionPosition.offset(m.condition, e.offset(), m.conditionSingleLine),
                        "macro '" + m.name + "': " + explain(e));
            } catch (StackOverflowError e) {
                c.error(m.conditionPosition, "macro '" + m.name + "': condition nests too deeply");
            }
        }
    }

    private static final java.util.regex.Pattern UNDEFINED_MACRO =
            java.util.regex.Pattern.compile("Undefined macro '([^']+)' used in filter\\.");

    /** The error text, with "did you mean" for an undefined macro that is close to a defined one. */
    private String explain(ConditionSyntaxException e) {
        java.util.regex.Matcher m = UNDEFINED_MACRO.matcher(e.getMessage());
        if (m.find()) {
            return e.getMessage() + io.trailguard.rules.text.Suggestions.didYouMean(m.group(1), c.macros.keySet());
        }
        return e.getMessage();
    }

    /**
     * A warning for each bare list item of the last parse that names no list but is close to a list's name: Falco
     * keeps it as a literal, which is rarely what a misspelt list name means.
     */
    private void warnNearListNames(Position at, String what) {
        for (String miss : listMisses) {
            String near = io.trailguard.rules.text.Suggestions.closest(miss, lists.keySet());
            if (near != null) {
                c.warn(at, what + ": '" + miss + "' is not a list and is compared as a literal value (did you mean the "
                        + "list '" + near + "'?)");
            }
        }
        listMisses.clear();
    }

    private static String appendNote(RuleDef def) {
        return def.appendedAt == null ? "" : " (in the condition this appends to the rule defined at " + def.position
                + ")";
    }

    /** The text with lists whose names hold a blank or quote substituted as Falco does ({@link ListNames}). */
    private String withUnusualListNames(String text) {
        return ListNames.substitute(text, lists, name -> c.lists.get(name).used = true);
    }

    /** Macros see only earlier macros; rules (order = MAX) see all. */
    private Expr visibleMacro(String name, int fromOrder) {
        Integer order = macroOrder.get(name);
        if (order == null || order >= fromOrder) {
            return null;
        }
        c.macros.get(name).used = true;
        return macros.get(name);
    }

    /** Whether a Sigma rule stays enabled: the selections (by name or tag) and the minimum priority. */
    private boolean selected(Rule r) {
        boolean enabled = true;
        for (LoadOptions.Selection s : options.selections()) {
            if (s.applies(r.name(), r.tags())) {
                enabled = s.enable;
            }
        }
        return enabled && r.priority().atLeast(options.minPriority());
    }

    private void applySelections(RuleDef def) {
        for (LoadOptions.Selection s : options.selections()) {
            if (s.applies(def.name, def.tags)) {
                def.enabled = s.enable;
            }
        }
    }

    private Rule compileRule(RuleDef def) {
        String source = def.source == null ? "syscall" : def.source;
        boolean connectorDialect = source.equals("k8s_audit");
        if (!source.equals(SOURCE) && !connectorDialect) {
            c.warn(def.position, "Unknown source " + source + ", skipping rule '" + def.name + "'"
                    + (def.source == null ? " (no 'source' key: Falco's default is syscall; add 'source: aws_cloudtrail')"
                    : ""));
            return null;
        }
        Expr expr;
        Position condPos = def.appendedAt != null ? def.appendedAt : def.conditionPosition;
        try {
            listMisses.clear();
            Expr parsed = ConditionParser.parse(withUnusualListNames(def.condition), listResolver);
            warnNearListNames(condPos, "rule '" + def.name + "'");
            expr = new MacroExpander(name -> visibleMacro(name, Integer.MAX_VALUE), macroSizes).expand(parsed);
        } catch (ConditionSyntaxException e) {
            c.error(condPos.offset(def.condition, e.offset(), def.conditionSingleLine),
                    "rule '" + def.name + "': " + explain(e) + appendNote(def));
            return null;
        } catch (StackOverflowError e) {
            c.error(condPos, "rule '" + def.name + "': condition nests too deeply");
            return null;
        }
        if (connectorDialect) {
            for (String f : FieldNames.of(expr)) {
                if (CONNECTOR_FIELD_PREFIXES.stream().noneMatch(f::startsWith)) {
                    c.warn(def.position, "Unknown source k8s_audit, skipping rule '" + def.name + "' (only rules "
                            + "reading jevt.*, json.* and aws.* fields are accepted as CloudTrail rules)");
                    return null;
                }
            }
        }
        try {
            expr = withExceptions(def, expr);
        } catch (ExceptionError e) {
            c.error(e.position, "rule '" + def.name + "': " + e.getMessage());
            return null;
        }
        for (String w : ValueWarnings.of(expr, RuleCompiler::isKnownField)) {
            c.warn(condPos, "rule '" + def.name + "': " + w);
        }
        for (String f : FieldNames.of(expr)) {
            if (AggregateField.isAggregate(f)) {
                c.error(condPos, "rule '" + def.name + "': " + f + " describes a rate rule's window; use aggregate.* "
                        + "fields in the output only");
                return null;
            }
        }
        Condition condition;
        OutputFormat output;
        try {
            condition = compiler.compile(expr);
        } catch (ConditionSyntaxException e) {
            if (e.unknownField() && def.skipIfUnknownFilter) {
                c.warn(condPos, "rule '" + def.name + "' skipped (skip-if-unknown-filter): " + e.getMessage());
                return null;
            }
            c.error(condPos.offset(def.condition, e.offset(), def.conditionSingleLine),
                    "rule '" + def.name + "': " + explain(e) + appendNote(def));
            return null;
        } catch (StackOverflowError e) {
            c.error(condPos, "rule '" + def.name + "': condition nests too deeply");
            return null;
        }
        try {
            output = OutputFormat.compile(def.output, compiler);
        } catch (ConditionSyntaxException e) {
            if (e.unknownField() && def.skipIfUnknownFilter) {
                c.warn(def.outputPosition, "rule '" + def.name + "' skipped (skip-if-unknown-filter): "
                        + e.getMessage());
                return null;
            }
            c.error(def.outputPosition, "rule '" + def.name + "': " + e.getMessage());
            return null;
        }
        String origin = def.position.file() + ":" + def.position.line();
        List<FieldRef> signalFields = new ArrayList<>();
        for (FieldRef f : output.fields()) {
            if (!AggregateField.isAggregate(f.name())) {
                signalFields.add(f);
            }
        }
        if (def.aggregate == null) {
            if (signalFields.size() != output.fields().size()) {
                c.error(def.outputPosition, "rule '" + def.name + "': aggregate.* fields can only be used in rules "
                        + "with an 'aggregate' block");
                return null;
            }
            return new Rule(def.name, def.desc, condition, output, def.priority, new ArrayList<>(def.tags),
                    SOURCE, def.order, EventNameHint.of(expr), origin);
        }
        AggregateSpec spec = aggregate(def);
        if (spec == null) {
            return null;
        }
        return new Rule(def.name, def.desc, condition, output, def.priority, new ArrayList<>(def.tags), SOURCE,
                def.order, EventNameHint.of(expr), origin, spec, fingerprint(def), signalFields);
    }

    private AggregateSpec aggregate(RuleDef def) {
        AggregateDef a = def.aggregate;
        AggregateType type = AggregateType.parse(a.type);
        List<FieldRef> groupBy = new ArrayList<>();
        FieldRef value = null;
        try {
            for (String g : a.groupBy) {
                groupBy.add(aggregateField(a, g));
            }
            if (a.field != null) {
                value = aggregateField(a, a.field);
            }
        } catch (ExceptionError e) {
            c.error(e.position, "rule '" + def.name + "': " + e.getMessage());
            return null;
        }
        if (type == AggregateType.EVENT_COUNT) {
            for (double v : a.values) {
                if (v > RateWindow.MAX_ENTRIES) {
                    c.error(a.position, "rule '" + def.name + "': event_count thresholds above "
                            + RateWindow.MAX_ENTRIES + " are not supported (events kept per group)");
                    return null;
                }
            }
        }
        return new AggregateSpec(type, groupBy, value, a.timespanMillis, new Threshold(a.ops, a.values));
    }

    private FieldRef aggregateField(AggregateDef a, String text) {
        int[] end = new int[1];
        FieldExpr f = ConditionParser.fieldAt(text.trim(), 0, end);
        if (f == null || end[0] != text.trim().length()) {
            throw new ExceptionError(a.position, "aggregate: '" + text + "' is not a field");
        }
        if (AggregateField.isAggregate(f.name())) {
            throw new ExceptionError(a.position, "aggregate: '" + text + "' cannot group or measure by itself");
        }
        try {
            return compiler.field(f);
        } catch (ConditionSyntaxException e) {
            throw new ExceptionError(a.position, "aggregate: " + e.getMessage());
        }
    }

    /** Digest of everything that defines a rate rule's counting and alert (its state is discarded when it changes). */
    private static String fingerprint(RuleDef def) {
        StringBuilder sb = new StringBuilder();
        sb.append(def.condition).append('\n').append(def.output).append('\n').append(def.aggregate).append('\n')
                .append(def.priority).append('\n').append(def.tags).append('\n');
        for (ExceptionDef x : def.exceptions) {
            sb.append(x.name).append(x.fields).append(x.comps).append(x.values).append('\n');
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                hex.append(String.format("%02x", d[i]));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- exceptions ------------------------------------------------------------------------------

    /**
     * {@code (cond) and not (exception_1) and not (exception_2) ...}: each exception's text is built as Falco builds
     * it ({@link ExceptionConditions}) and parsed with the rule's lists, then its macros-free AST is attached.
     */
    private Expr withExceptions(RuleDef def, Expr condition) {
        List<Expr> parts = new ArrayList<>();
        parts.add(condition);
        for (ExceptionDef x : def.exceptions) {
            for (String f : x.fields) {
                try {
                    compiler.field(exceptionField(x, f));
                } catch (ConditionSyntaxException e) {
                    throw new ExceptionError(x.position, "exception '" + x.name + "': '" + f.trim() + "' is not a "
                            + "supported filter field" + fieldSuggestion(f.trim()));
                }
            }
            String text = ExceptionConditions.of(x);
            if (text == null) {
                continue;
            }
            try {
                parts.add(new NotExpr(ConditionParser.parse(withUnusualListNames(text), listResolver)));
            } catch (ConditionSyntaxException e) {
                throw new ExceptionError(x.position, "exception '" + x.name + "': " + e.getMessage() + " (in '"
                        + text + "')");
            }
        }
        return parts.size() == 1 ? condition : new AndExpr(parts);
    }

    /**
     * Whether a value names a field. Most values do not: those whose name the registry does not list are answered
     * here, since the registry's unknown-field error computes spelling suggestions over every field name.
     */
    private static boolean isKnownField(FieldExpr f) {
        if (!KnownFields.NAMES.contains(f.name())) {
            return false;
        }
        try {
            io.trailguard.rules.field.FieldRegistry.resolve(f.name(), f.arg());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The names {@link io.trailguard.rules.field.FieldRegistry#resolve} resolves, listed once. */
    private static final class KnownFields {
        static final java.util.Set<String> NAMES = io.trailguard.rules.field.FieldRegistry.names();
    }

    private static String fieldSuggestion(String f) {
        int[] end = new int[1];
        FieldExpr parsed = ConditionParser.fieldAt(f, 0, end);
        String name = parsed == null || parsed.fields().isEmpty() ? f : parsed.fields().get(0).name();
        return io.trailguard.rules.text.Suggestions.didYouMean(name, io.trailguard.rules.field.FieldRegistry.names());
    }

    private FieldExpr exceptionField(ExceptionDef x, String text) {
        int[] end = new int[1];
        FieldExpr f = ConditionParser.fieldAt(text.trim(), 0, end);
        if (f == null || end[0] != text.trim().length()) {
            throw new ExceptionError(x.position, "exception '" + x.name + "': '" + text + "' is not a field");
        }
        return f;
    }

    private static final class ExceptionError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Position position;

        ExceptionError(Position position, String message) {
            super(message);
            this.position = position;
        }
    }
}

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
import io.trailguard.rules.condition.ast.CheckExpr;
import io.trailguard.rules.condition.ast.Expr;
import io.trailguard.rules.condition.ast.FieldExpr;
import io.trailguard.rules.condition.ast.NotExpr;
import io.trailguard.rules.condition.ast.OrExpr;
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
                Expr parsed = ConditionParser.parse(m.condition, listResolver);
                Expr expanded = new MacroExpander(name -> visibleMacro(name, m.order), macroSizes).expand(parsed);
                macros.put(m.name, expanded);
            } catch (ConditionSyntaxException e) {
                c.error(m.conditionPosition.offset(m.condition, e.offset(), m.conditionSingleLine),
                        "macro '" + m.name + "': " + e.getMessage());
            } catch (StackOverflowError e) {
                c.error(m.conditionPosition, "macro '" + m.name + "': condition nests too deeply");
            }
        }
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
        Position condPos = def.conditionPosition;
        try {
            Expr parsed = ConditionParser.parse(def.condition, listResolver);
            expr = new MacroExpander(name -> visibleMacro(name, Integer.MAX_VALUE), macroSizes).expand(parsed);
        } catch (ConditionSyntaxException e) {
            c.error(condPos.offset(def.condition, e.offset(), def.conditionSingleLine),
                    "rule '" + def.name + "': " + e.getMessage());
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
                    "rule '" + def.name + "': " + e.getMessage());
            return null;
        } catch (StackOverflowError e) {
            c.error(condPos, "rule '" + def.name + "': condition nests too deeply");
            return null;
        }
        try {
            output = OutputFormat.compile(def.output, compiler);
        } catch (ConditionSyntaxException e) {
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

    /** {@code (cond) and not (exception_1 or exception_2 ...)}, built on the AST. */
    private Expr withExceptions(RuleDef def, Expr condition) {
        List<Expr> alternatives = new ArrayList<>();
        for (ExceptionDef x : def.exceptions) {
            List<FieldExpr> fieldExprs = new ArrayList<>();
            for (String f : x.fields) {
                fieldExprs.add(exceptionField(x, f));
            }
            for (FieldExpr f : fieldExprs) {
                try {
                    compiler.field(f);
                } catch (ConditionSyntaxException e) {
                    throw new ExceptionError(x.position, "exception '" + x.name + "': " + e.getMessage());
                }
            }
            if (x.values.isEmpty()) {
                continue;
            }
            if (x.singleField) {
                List<String> items = new ArrayList<>();
                for (Object v : x.values) {
                    items.addAll(expandList((String) v));
                }
                alternatives.add(new CheckExpr(fieldExprs.get(0), x.comps.get(0), null, null, items, null, 0));
                continue;
            }
            for (Object tupleObj : x.values) {
                List<?> tuple = (List<?>) tupleObj;
                List<Expr> checks = new ArrayList<>();
                for (int i = 0; i < tuple.size(); i++) {
                    checks.add(exceptionCheck(x, fieldExprs.get(i), x.comps.get(i), tuple.get(i)));
                }
                alternatives.add(checks.size() == 1 ? checks.get(0) : new AndExpr(checks));
            }
        }
        if (alternatives.isEmpty()) {
            return condition;
        }
        Expr any = alternatives.size() == 1 ? alternatives.get(0) : new OrExpr(alternatives);
        return new AndExpr(List.of(condition, new NotExpr(any)));
    }

    private Expr exceptionCheck(ExceptionDef x, FieldExpr field, String comp, Object value) {
        boolean listOp = ExceptionReader.LIST_OPERATORS.contains(comp);
        if (value instanceof List) {
            if (!listOp) {
                throw new ExceptionError(x.position, "exception '" + x.name + "': a list value needs operator in, "
                        + "intersects or pmatch, not '" + comp + "'");
            }
            List<String> items = new ArrayList<>();
            for (Object o : (List<?>) value) {
                items.addAll(expandList((String) o));
            }
            return new CheckExpr(field, comp, null, null, items, null, 0);
        }
        String v = (String) value;
        if (listOp) {
            return new CheckExpr(field, comp, null, null, expandList(v), null, 0);
        }
        return new CheckExpr(field, comp, null, v, null, null, 0);
    }

    private List<String> expandList(String item) {
        List<String> items = listResolver.items(item);
        return items != null ? items : List.of(item);
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

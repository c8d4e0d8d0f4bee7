package io.trailguard.rules.engine;

import io.trailguard.rules.aggregate.AggregateInput;
import io.trailguard.rules.aggregate.AggregateSpec;
import io.trailguard.rules.aggregate.AggregateType;
import io.trailguard.rules.aggregate.Firing;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.aggregate.WindowEntry;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.field.AggregateField;
import io.trailguard.rules.field.ConstantField;
import io.trailguard.rules.field.EvaluationContext;
import io.trailguard.rules.field.FieldRef;
import io.trailguard.rules.field.ValueLookup;
import io.trailguard.rules.output.OutputFormat;
import io.trailguard.rules.text.CaseFold;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The active, compiled rules. Rules are indexed by the eventName values their conditions require, so an event
 * is evaluated only against its candidate rules (those requiring its eventName plus those requiring none), in
 * load order. The index compares names ignoring case ({@link CaseFold}): Sigma rules match eventName
 * case-insensitively, and for case-sensitive (Falco) rules a case variant is only an extra candidate whose
 * condition then decides. Immutable and thread-safe; each thread evaluates with its own {@link EvaluationContext}.
 */
public final class RuleSet {
    private static final Rule[] NONE = new Rule[0];

    private final List<Rule> rules;
    private final MatchingMode matching;
    private final int fieldSlots;
    private final Rule[] unconstrained;
    private final Map<String, Rule[]> byEventName;
    /**
     * The candidates of eventNames as events spell them, so the common case skips case folding; bounded in entries
     * and name length, since eventName is caller-controlled text (AWS has a few thousand API names).
     */
    private final Map<String, Rule[]> seenNames = new ConcurrentHashMap<>();
    private static final int SEEN_NAMES_LIMIT = 8192;
    /** Longer names are not cached (AWS API names are far shorter), so the cache stays under a few MiB. */
    private static final int SEEN_NAME_MAX_LENGTH = 128;
    private final Rule[] all;
    private final String hostname;
    private final Map<String, Rule> byName = new HashMap<>();
    /** Inner rate rule name -> the inputs of the rules chained on it. */
    private final Map<String, List<Chain>> chainedOn = new HashMap<>();
    private final int chainDepth;

    public RuleSet(List<Rule> rules, MatchingMode matching, int fieldSlots, String hostname) {
        List<Rule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparingInt(Rule::position));
        this.rules = Collections.unmodifiableList(sorted);
        this.matching = matching;
        this.fieldSlots = fieldSlots;
        this.hostname = hostname;
        this.all = sorted.toArray(NONE);
        for (Rule r : sorted) {
            byName.put(r.name(), r);
        }
        List<Rule> free = new ArrayList<>();
        Map<String, List<Rule>> named = new HashMap<>();
        for (Rule r : sorted) {
            if (r.eventNames() == null) {
                free.add(r);
            } else {
                for (String n : r.eventNames()) {
                    List<Rule> list = named.computeIfAbsent(CaseFold.fold(n), k -> new ArrayList<>());
                    if (list.isEmpty() || list.get(list.size() - 1) != r) {
                        list.add(r); // two names that fold alike index the rule once
                    }
                }
            }
        }
        this.unconstrained = free.toArray(NONE);
        this.byEventName = new HashMap<>();
        for (Map.Entry<String, List<Rule>> e : named.entrySet()) {
            List<Rule> merged = new ArrayList<>(e.getValue());
            merged.addAll(free);
            merged.sort(Comparator.comparingInt(Rule::position));
            byEventName.put(e.getKey(), merged.toArray(NONE));
        }
        for (Rule r : sorted) {
            if (r.isRateRule()) {
                for (AggregateInput in : r.aggregate().inputs()) {
                    if (in.isChained()) {
                        chainedOn.computeIfAbsent(in.innerRule(), k -> new ArrayList<>()).add(new Chain(r, in));
                    }
                }
            }
        }
        int depth = 0;
        for (Rule r : sorted) {
            depth = Math.max(depth, depth(r, 0));
        }
        this.chainDepth = depth;
    }

    /** Longest chain of rate rules ending at {@code r} (1 for an unchained rule); cycles are refused at load. */
    private int depth(Rule r, int guard) {
        if (!r.isRateRule() || guard > byName.size()) {
            return 0;
        }
        int d = 1;
        for (AggregateInput in : r.aggregate().inputs()) {
            Rule inner = in.isChained() ? byName.get(in.innerRule()) : null;
            if (inner != null) {
                d = Math.max(d, 1 + depth(inner, guard + 1));
            }
        }
        return d;
    }

    /** A rule chained on another: the outer rule and its input fed by the inner rule's firings. */
    private static final class Chain {
        final Rule outer;
        final AggregateInput input;

        Chain(Rule outer, AggregateInput input) {
            this.outer = outer;
            this.input = input;
        }
    }

    public List<Rule> rules() {
        return rules;
    }

    public MatchingMode matching() {
        return matching;
    }

    public int size() {
        return rules.size();
    }

    /** A fresh evaluation context sized for this rule set (one per thread). */
    public EvaluationContext newContext() {
        return new EvaluationContext(fieldSlots);
    }

    /** The rules an event must be evaluated against, in load order. */
    public Rule[] candidates(CloudTrailEvent event) {
        JsonNode name = event.record().get("eventName");
        if (name == null || name.isNull()) {
            return unconstrained;
        }
        if (!name.isTextual()) {
            return all; // odd shape: let every rule decide
        }
        String raw = name.textValue();
        Rule[] r = seenNames.get(raw);
        if (r == null) {
            r = byEventName.get(CaseFold.fold(raw));
            if (r == null) {
                r = unconstrained;
            }
            if (raw.length() <= SEEN_NAME_MAX_LENGTH && seenNames.size() < SEEN_NAMES_LIMIT) {
                seenNames.put(raw, r);
            }
        }
        return r;
    }

    /** Spellings of eventNames whose candidates are cached (for tests of the bound). */
    int cachedNames() {
        return seenNames.size();
    }

    /** The rule of that name, or null. */
    public Rule rule(String name) {
        return byName.get(name);
    }

    /** True when some rule is a rate rule (the keyed window path is needed). */
    public boolean hasRateRules() {
        for (Rule r : all) {
            if (r.isRateRule()) {
                return true;
            }
        }
        return false;
    }

    /** Evaluates one event against the single-event rules (rate rules are skipped). */
    public List<Alert> evaluate(CloudTrailEvent event, EvaluationContext ctx) {
        return evaluate(event, ctx, null);
    }

    /**
     * Evaluates one event: the alerts of every matching single-event rule (or of the first, in FIRST mode), and,
     * when {@code signals} is not null, one {@link Signal} per rate rule whose condition selects the event
     * (rate rules do not take part in FIRST matching: they count, they do not alert per event). An event whose
     * group_by or aggregate field is absent does not count.
     *
     * <p>A rate rule with {@linkplain AggregateSpec#inputs() inputs} (a Sigma correlation) emits one signal per
     * event input whose condition matches, grouped by that input's own fields (correlation aliases): for the
     * temporal types the signal's value names the input's step (the referenced rule); for the other types an
     * event matching several inputs with the same group and value counts once.
     */
    public List<Alert> evaluate(CloudTrailEvent event, EvaluationContext ctx, List<Signal> signals) {
        ctx.reset(event);
        List<Alert> alerts = null;
        boolean matched = false;
        for (Rule r : candidates(event)) {
            if (r.isRateRule()) {
                if (signals == null) {
                    continue;
                }
                if (!r.aggregate().inputs().isEmpty()) {
                    inputSignals(r, ctx, signals);
                } else if (r.matches(ctx)) {
                    Signal s = signal(r, ctx);
                    if (s != null) {
                        signals.add(s);
                    }
                }
                continue;
            }
            if (matched && matching == MatchingMode.FIRST) {
                continue;
            }
            if (r.matches(ctx)) {
                matched = true;
                if (alerts == null) {
                    alerts = new ArrayList<>(2);
                }
                alerts.add(alert(r, ctx));
            }
        }
        return alerts == null ? Collections.emptyList() : alerts;
    }

    private static Signal signal(Rule r, EvaluationContext ctx) {
        AggregateSpec spec = r.aggregate();
        String[] group = new String[spec.groupBy().size()];
        for (int i = 0; i < group.length; i++) {
            Object v = ctx.value(spec.groupBy().get(i));
            if (v == null) {
                return null;
            }
            group[i] = OutputFormat.render(v);
        }
        String value = null;
        if (spec.valueField() != null) {
            Object v = ctx.value(spec.valueField());
            if (v == null) {
                return null;
            }
            value = OutputFormat.render(v);
        }
        List<FieldRef> fields = r.signalFields();
        String[] outputs = new String[fields.size()];
        for (int i = 0; i < outputs.length; i++) {
            Object v = ctx.value(fields.get(i));
            outputs[i] = v == null ? null : OutputFormat.render(v);
        }
        CloudTrailEvent e = ctx.event();
        long time = e.hasTime() ? e.timeMillis() : System.currentTimeMillis();
        return new Signal(r.name(), r.fingerprint(), group, time, e.eventId(), value, outputs, e.account(), e.region());
    }

    /** The signals of a rate rule with inputs: one per matching event input (see {@link #evaluate}). */
    private static void inputSignals(Rule r, EvaluationContext ctx, List<Signal> signals) {
        AggregateSpec spec = r.aggregate();
        boolean temporal = spec.type().isTemporal();
        int from = signals.size();
        for (AggregateInput in : spec.inputs()) {
            if (in.isChained() || !in.condition().test(ctx)) {
                continue;
            }
            String[] group = new String[in.groupBy().size()];
            boolean complete = true;
            for (int i = 0; i < group.length && complete; i++) {
                Object v = ctx.value(in.groupBy().get(i));
                complete = v != null;
                group[i] = complete ? OutputFormat.render(v) : null;
            }
            if (!complete) {
                continue;
            }
            String value = null;
            if (temporal) {
                value = in.step();
            } else if (in.valueField() != null) {
                Object v = ctx.value(in.valueField());
                if (v == null) {
                    continue;
                }
                value = OutputFormat.render(v);
            }
            boolean duplicate = false;
            for (int i = from; i < signals.size() && !temporal && !duplicate; i++) {
                Signal o = signals.get(i);
                duplicate = Arrays.equals(o.group, group) && Objects.equals(o.value, value);
            }
            if (duplicate) {
                continue;
            }
            signals.add(eventSignal(r, ctx, group, value));
        }
    }

    private static Signal eventSignal(Rule r, EvaluationContext ctx, String[] group, String value) {
        List<FieldRef> fields = r.signalFields();
        String[] outputs = new String[fields.size()];
        for (int i = 0; i < outputs.length; i++) {
            Object v = ctx.value(fields.get(i));
            outputs[i] = v == null ? null : OutputFormat.render(v);
        }
        CloudTrailEvent e = ctx.event();
        long time = e.hasTime() ? e.timeMillis() : System.currentTimeMillis();
        return new Signal(r.name(), r.fingerprint(), group, time, e.eventId(), value, outputs, e.account(), e.region());
    }

    /**
     * The signals that a firing of rate rule {@code inner} (for group {@code group}) feeds to the rate rules chained
     * on it (Sigma chained correlations): one per chained input, at the firing's decision time
     * ({@link Firing#windowEnd()}), carrying the last counted event's id, account, region and the output values the
     * outer rule shares with the inner one. Empty when nothing is chained on {@code inner}.
     *
     * <p>How a keyed window operator uses it: signals from {@link #evaluate} are keyed by {@link Signal#key()}; for
     * every {@link Firing} returned by {@code RateWindow.add}/{@code windowEnd} of rule {@code r} and group
     * {@code g}, call {@link #onFiring} (or {@link #rateAlert} when {@code r.aggregate().alerts()}, plus this
     * method), and route the chained signals through the same keyed logic again, keyed by their own
     * {@link Signal#key()} (a second keyed stage: the outer rule has its own group). A chain of depth
     * {@link #chainDepth()} needs that many stages (or a feedback loop); each stage looks rules up by
     * {@link #rule(String)} as for event signals.
     */
    public List<Signal> chainedSignals(Rule inner, String[] group, Firing f) {
        List<Chain> chains = chainedOn.get(inner.name());
        if (chains == null) {
            return Collections.emptyList();
        }
        List<Signal> out = new ArrayList<>(chains.size());
        WindowEntry last = f.last();
        for (Chain c : chains) {
            AggregateInput in = c.input;
            String[] outerGroup = new String[in.innerGroupSize()];
            for (int i = 0; i < outerGroup.length; i++) {
                int j = in.innerGroupIndex(i);
                outerGroup[i] = j >= 0 && j < group.length ? group[j] : null;
            }
            String value = null;
            if (c.outer.aggregate().type().isTemporal()) {
                value = in.step();
            } else if (in.innerValueIndex() >= 0) {
                value = in.innerValueIndex() < group.length ? group[in.innerValueIndex()] : null;
                if (value == null) {
                    continue;
                }
            }
            List<FieldRef> outerFields = c.outer.signalFields();
            String[] outputs = new String[outerFields.size()];
            for (int i = 0; i < outputs.length; i++) {
                int k = inner.signalFields().indexOf(outerFields.get(i));
                outputs[i] = k < 0 ? null : last.outputValue(k, group);
            }
            out.add(new Signal(c.outer.name(), c.outer.fingerprint(), outerGroup, f.windowEnd(), last.eventId(), value,
                    outputs, last.account, last.region));
        }
        return out;
    }

    /**
     * Everything a firing of rate rule {@code r} for group {@code group} produces: its alert (unless the rule only
     * feeds chained rules, {@code r.aggregate().alerts()} false) into {@code alerts}, and the signals of the rules
     * chained on it ({@link #chainedSignals}) into {@code chained}.
     */
    public void onFiring(Rule r, String[] group, Firing f, List<Alert> alerts, List<Signal> chained) {
        if (r.aggregate().alerts()) {
            alerts.add(rateAlert(r, group, f));
        }
        chained.addAll(chainedSignals(r, group, f));
    }

    /** True when some rate rule is chained on {@code r} (its firings feed another rule). */
    public boolean feedsChains(Rule r) {
        return chainedOn.containsKey(r.name());
    }

    /** The longest chain of rate rules (0: no rate rules; 1: none chained; 2: one rule chained on another...). */
    public int chainDepth() {
        return chainDepth;
    }

    /** The alert of a rate rule whose window fired for a group. */
    public Alert rateAlert(Rule r, String[] group, Firing f) {
        AggregateSpec spec = r.aggregate();
        WindowEntry last = f.last();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", spec.type().text());
        details.put("condition", spec.threshold().toString());
        details.put("timespan_ms", spec.timespanMillis());
        Map<String, Object> groupMap = new LinkedHashMap<>();
        for (int i = 0; i < group.length; i++) {
            groupMap.put(spec.groupBy().get(i).name(), group[i]);
        }
        details.put("group", groupMap);
        details.put("count", f.count());
        if (spec.type() == AggregateType.VALUE_COUNT || spec.type() == AggregateType.TEMPORAL) {
            details.put("distinct", (long) f.distinctValues().size());
            details.put("values", f.distinctValues());
        } else if (spec.type() == AggregateType.TEMPORAL_ORDERED) {
            details.put("steps", (long) f.measure());
            details.put("values", f.distinctValues());
        } else if (spec.type().needsField()) {
            details.put("value", f.measure());
        }
        details.put("window_start", isoTime(f.windowStart()));
        details.put("window_end", isoTime(f.windowEnd()));
        details.put("first_time", isoTime(f.first().time));
        details.put("last_time", isoTime(last.time));
        details.put("first_event_id", f.first().eventId());
        details.put("last_event_id", last.eventId());
        details.put("event_ids", f.eventIds());
        ValueLookup lookup = ref -> {
            String name = ref.name();
            if (AggregateField.isAggregate(name)) {
                return aggregateValue(name, spec, group, f);
            }
            if (ref.field() instanceof ConstantField) {
                return ((ConstantField) ref.field()).value();
            }
            int i = r.signalFields().indexOf(ref);
            return i < 0 ? null : last.outputValue(i, group);
        };
        return new Alert(isoTime(last.time), last.time, r.name(), r.priority().display(), r.source(), r.tags(),
                r.output().format(lookup), r.output().fieldValues(lookup), hostname, last.eventId(), last.account,
                last.region, details);
    }

    private static Object aggregateValue(String name, AggregateSpec spec, String[] group, Firing f) {
        switch (name) {
            case "aggregate.count":
                return f.count();
            case "aggregate.distinct":
                return (long) f.distinctValues().size();
            case "aggregate.values":
                return f.distinctValues().isEmpty() ? null : f.distinctValues();
            case "aggregate.value": {
                double m = f.measure();
                return m == Math.rint(m) ? Long.toString((long) m) : Double.toString(m);
            }
            case "aggregate.group":
                return String.join(",", group);
            case "aggregate.first_time":
                return isoTime(f.first().time);
            case "aggregate.last_time":
                return isoTime(f.last().time);
            case "aggregate.first_event_id":
                return f.first().eventId();
            case "aggregate.last_event_id":
                return f.last().eventId();
            case "aggregate.event_ids":
                return f.eventIds();
            case "aggregate.timespan":
                return (spec.timespanMillis() / 1000) + "s";
            default:
                return null;
        }
    }

    /** Builds the alert of a rule that matched the context's event. */
    public Alert alert(Rule r, EvaluationContext ctx) {
        CloudTrailEvent e = ctx.event();
        long millis = e.hasTime() ? e.timeMillis() : System.currentTimeMillis();
        return new Alert(isoTime(millis), millis, r.name(), r.priority().display(), r.source(), r.tags(),
                r.output().format(ctx), r.output().fieldValues(ctx), hostname, e.eventId(), e.account(),
                e.region());
    }

    /** ISO 8601 UTC with 9 fractional digits, as Falco prints alert times. */
    public static String isoTime(long millis) {
        Instant t = Instant.ofEpochMilli(millis);
        String s = t.toString(); // 2023-07-10T11:42:05Z or with .SSS
        int dot = s.indexOf('.');
        String base = dot < 0 ? s.substring(0, s.length() - 1) : s.substring(0, dot);
        int nanos = t.getNano();
        StringBuilder sb = new StringBuilder(base.length() + 11).append(base).append('.');
        for (int unit = 100_000_000; unit > 0; unit /= 10) {
            sb.append((char) ('0' + nanos / unit % 10));
        }
        return sb.append('Z').toString();
    }

    /** Names of the rules, sorted (for status records). */
    public List<String> ruleNames() {
        TreeSet<String> names = new TreeSet<>();
        for (Rule r : rules) {
            names.add(r.name());
        }
        return new ArrayList<>(names);
    }
}

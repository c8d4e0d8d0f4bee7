package io.trailguard.rules.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.rules.event.CloudTrailEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The active, compiled rules. Rules are indexed by the eventName values their conditions require, so an event
 * is evaluated only against its candidate rules (those requiring its eventName plus those requiring none), in
 * load order. Immutable and thread-safe; each thread evaluates with its own {@link EvaluationContext}.
 */
public final class RuleSet {
    private static final Rule[] NONE = new Rule[0];

    private final List<Rule> rules;
    private final MatchingMode matching;
    private final int fieldSlots;
    private final Rule[] unconstrained;
    private final Map<String, Rule[]> byEventName;
    private final Rule[] all;
    private final String hostname;

    public RuleSet(List<Rule> rules, MatchingMode matching, int fieldSlots, String hostname) {
        List<Rule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparingInt(Rule::position));
        this.rules = Collections.unmodifiableList(sorted);
        this.matching = matching;
        this.fieldSlots = fieldSlots;
        this.hostname = hostname;
        this.all = sorted.toArray(NONE);
        List<Rule> free = new ArrayList<>();
        Map<String, List<Rule>> named = new HashMap<>();
        for (Rule r : sorted) {
            if (r.eventNames() == null) {
                free.add(r);
            } else {
                for (String n : r.eventNames()) {
                    named.computeIfAbsent(n, k -> new ArrayList<>()).add(r);
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
        Rule[] r = byEventName.get(name.textValue());
        return r != null ? r : unconstrained;
    }

    /** Evaluates one event; the alerts of every matching rule (or of the first, in FIRST mode). */
    public List<Alert> evaluate(CloudTrailEvent event, EvaluationContext ctx) {
        ctx.reset(event);
        List<Alert> alerts = null;
        for (Rule r : candidates(event)) {
            if (r.matches(ctx)) {
                if (alerts == null) {
                    alerts = new ArrayList<>(2);
                }
                alerts.add(alert(r, ctx));
                if (matching == MatchingMode.FIRST) {
                    break;
                }
            }
        }
        return alerts == null ? Collections.emptyList() : alerts;
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
        return base + String.format(".%09dZ", t.getNano());
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

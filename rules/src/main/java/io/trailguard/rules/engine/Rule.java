package io.trailguard.rules.engine;

import io.trailguard.rules.aggregate.AggregateSpec;
import io.trailguard.rules.condition.Condition;
import io.trailguard.rules.field.EvaluationContext;
import io.trailguard.rules.field.FieldRef;
import io.trailguard.rules.output.OutputFormat;

import java.util.List;
import java.util.Set;

/** A compiled single-event rule: when its condition holds for an event, it raises an {@link Alert}. */
public final class Rule {
    private final String name;
    private final String description;
    private final Condition condition;
    private final OutputFormat output;
    private final Priority priority;
    private final List<String> tags;
    private final String source;
    private final int position;
    private final Set<String> eventNames;
    private final String origin;
    private final AggregateSpec aggregate;
    private final String fingerprint;
    private final List<FieldRef> signalFields;
    private final RuleGuidance guidance;
    private final String version;

    /**
     * @param position   load order (evaluation order)
     * @param eventNames the eventName values the condition requires (one of), or null when it requires none
     * @param origin     {@code file:line} where the rule was defined
     */
    public Rule(String name, String description, Condition condition, OutputFormat output, Priority priority,
                List<String> tags, String source, int position, Set<String> eventNames, String origin) {
        this(name, description, condition, output, priority, tags, source, position, eventNames, origin, null, "",
                List.of());
    }

    /**
     * A rate rule when {@code aggregate} is not null: its condition selects the events that count.
     *
     * @param fingerprint  digest of the definition (state counted under another definition is discarded)
     * @param signalFields the output fields whose values each counted event carries (aggregate.* excluded)
     */
    public Rule(String name, String description, Condition condition, OutputFormat output, Priority priority,
                List<String> tags, String source, int position, Set<String> eventNames, String origin,
                AggregateSpec aggregate, String fingerprint, List<FieldRef> signalFields) {
        this.name = name;
        this.description = description;
        this.condition = condition;
        this.output = output;
        this.priority = priority;
        this.tags = List.copyOf(tags);
        this.source = source;
        this.position = position;
        this.eventNames = eventNames == null ? null : Set.copyOf(eventNames);
        this.origin = origin;
        this.aggregate = aggregate;
        this.fingerprint = fingerprint;
        this.signalFields = List.copyOf(signalFields);
        this.guidance = RuleGuidanceTags.of(this.tags);
        this.version = RuleGuidanceTags.version(this.tags);
    }

    private Rule(Rule r, RuleGuidance guidance, String version) {
        this.name = r.name;
        this.description = r.description;
        this.condition = r.condition;
        this.output = r.output;
        this.priority = r.priority;
        this.tags = r.tags;
        this.source = r.source;
        this.position = r.position;
        this.eventNames = r.eventNames;
        this.origin = r.origin;
        this.aggregate = r.aggregate;
        this.fingerprint = r.fingerprint;
        this.signalFields = r.signalFields;
        this.guidance = guidance;
        this.version = version;
    }

    /** This rule with other guidance (Sigma's references and false positives); by default it is read from tags. */
    public Rule withGuidance(RuleGuidance g) {
        return new Rule(this, g == null ? RuleGuidance.NONE : g, version);
    }

    /** This rule with another version (a Sigma rule's {@code modified}, else {@code date}); by default from tags. */
    public Rule withVersion(String v) {
        return new Rule(this, guidance, v);
    }

    /**
     * The rule's own version, which outputs show next to the bundle version: a Falco rule's {@code version:} tag
     * ({@link RuleGuidanceTags#version}), a Sigma rule's {@code modified} date, else its {@code date}
     * ({@code yyyy-mm-dd}); null when it has none.
     */
    public String version() {
        return version;
    }

    /** What the rule file says to do about its alerts ({@link RuleGuidanceTags} for Falco rules). */
    public RuleGuidance guidance() {
        return guidance;
    }

    /** The rate-rule window definition, or null for a single-event rule. */
    public AggregateSpec aggregate() {
        return aggregate;
    }

    public boolean isRateRule() {
        return aggregate != null;
    }

    public String fingerprint() {
        return fingerprint;
    }

    public List<FieldRef> signalFields() {
        return signalFields;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public Condition condition() {
        return condition;
    }

    public OutputFormat output() {
        return output;
    }

    public Priority priority() {
        return priority;
    }

    /** Tags, de-duplicated and sorted as Falco stores them. */
    public List<String> tags() {
        return tags;
    }

    public String source() {
        return source;
    }

    public int position() {
        return position;
    }

    public Set<String> eventNames() {
        return eventNames;
    }

    public String origin() {
        return origin;
    }

    public boolean matches(EvaluationContext ctx) {
        return condition.test(ctx);
    }

    @Override
    public String toString() {
        return "Rule{" + name + "}";
    }
}

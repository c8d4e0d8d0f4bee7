package io.trailguard.rules.engine;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A rule match: which rule ({@link RuleIdentity}), about which event ({@link EventReference}), who did what to which
 * resources ({@link EventSubject}, extracted once by the engine), the formatted output and its field values, the
 * hostname of the engine, for a rate rule what its window measured ({@link RateSummary}), for an incident alert
 * the incident ({@link IncidentSummary}), and once the job has stamped it for its finding outputs, the times of its
 * finding version ({@link FindingTimes}). Immutable; built with {@link #builder()}. Its one JSON form is
 * {@link AlertJson}: Falco's alert line plus the CloudTrail identity; the finding times are not part of it (they are
 * processing time, and the alert line is the replay's deterministic contract).
 * Values in {@link #outputFields()} are strings, longs, lists of strings, or null (absent).
 */
public final class Alert implements Serializable {
    private static final long serialVersionUID = 2L;

    private final RuleIdentity rule;
    private final EventReference event;
    private final EventSubject subject;
    private final String output;
    private final LinkedHashMap<String, Object> outputFields;
    private final String hostname;
    private final RateSummary rate;
    private final IncidentSummary incident;
    private final FindingTimes findingTimes;
    /** The parts this alert shares with the other alerts of its event and output, or null (derived, not state). */
    private final transient AlertLineParts lineParts;

    private Alert(Builder b) {
        this.rule = Objects.requireNonNull(b.rule, "rule");
        this.event = Objects.requireNonNull(b.event, "event");
        this.subject = b.subject == null ? EventSubject.NONE : b.subject;
        this.output = b.output;
        this.hostname = b.hostname;
        this.rate = b.rate;
        this.incident = b.incident;
        this.findingTimes = b.findingTimes;
        AlertLineParts p = b.lineParts;
        boolean shared = p != null && b.rate == null && b.incident == null && p.event == b.event
                && p.subject == this.subject && p.output == b.output && p.fields == b.outputFields
                && p.hostname == b.hostname;
        this.lineParts = shared ? p : null;
        // the shared map is never modified (the parts own it and expose it to no one else)
        this.outputFields = shared ? p.fields : new LinkedHashMap<>(b.outputFields);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The rule that matched. */
    public RuleIdentity rule() {
        return rule;
    }

    /** The event the alert is about (a rate rule's: its last counted event). */
    public EventReference event() {
        return event;
    }

    public EventSubject subject() {
        return subject;
    }

    /** The rule's output, formatted. */
    public String output() {
        return output;
    }

    public Map<String, Object> outputFields() {
        return Collections.unmodifiableMap(outputFields);
    }

    public String hostname() {
        return hostname;
    }

    /** For a rate rule, what its window measured; null for a single-event rule. */
    public RateSummary rate() {
        return rate;
    }

    public boolean isRateAlert() {
        return rate != null;
    }

    /** For an incident alert, the incident (principal, members, tactics, version); null for every other alert. */
    public IncidentSummary incident() {
        return incident;
    }

    /**
     * When the finding of this alert version was created and updated, as the job's finding-times stage stamped them
     * before the finding outputs; null for an alert that has not passed that stage.
     */
    public FindingTimes findingTimes() {
        return findingTimes;
    }

    /** This alert with its finding times stamped. */
    public Alert withFindingTimes(FindingTimes times) {
        return toBuilder().findingTimes(times).build();
    }

    /** The parts shared with the other alerts of the event, or null when this alert was not built from them. */
    AlertLineParts lineParts() {
        return lineParts;
    }

    /** A builder holding this alert's parts (to derive an alert that differs in some). */
    public Builder toBuilder() {
        return new Builder().rule(rule).event(event).subject(subject).output(output).outputFields(outputFields)
                .hostname(hostname).rate(rate).incident(incident).findingTimes(findingTimes);
    }

    /** The alert as one JSON line ({@link AlertJson#write}). */
    public String toJson() {
        return AlertJson.write(this);
    }

    /** Parses an alert JSON line ({@link AlertJson#read}). */
    public static Alert fromJson(String json) {
        return AlertJson.read(json);
    }

    /** The JSON line as a tree (for embedding in other documents). */
    public com.fasterxml.jackson.databind.node.ObjectNode toJsonNode() {
        return AlertJson.tree(this);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Alert)) {
            return false;
        }
        Alert a = (Alert) o;
        return rule.equals(a.rule) && event.equals(a.event) && subject.equals(a.subject)
                && Objects.equals(output, a.output) && outputFields.equals(a.outputFields)
                && Objects.equals(hostname, a.hostname) && Objects.equals(rate, a.rate)
                && Objects.equals(incident, a.incident) && Objects.equals(findingTimes, a.findingTimes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rule.name(), event, output);
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** The one way to make an alert; rule and event are required. */
    public static final class Builder {
        private RuleIdentity rule;
        private EventReference event;
        private EventSubject subject;
        private String output;
        private Map<String, Object> outputFields = Map.of();
        private String hostname;
        private RateSummary rate;
        private IncidentSummary incident;
        private FindingTimes findingTimes;
        private AlertLineParts lineParts;

        private Builder() {
        }

        /** Every member but the rule from {@code p}, which other alerts of the same event and output share. */
        Builder parts(AlertLineParts p) {
            lineParts = p;
            return event(p.event).subject(p.subject).output(p.output).outputFields(p.fields).hostname(p.hostname);
        }

        public Builder rule(RuleIdentity r) {
            rule = r;
            return this;
        }

        public Builder event(EventReference e) {
            event = e;
            return this;
        }

        public Builder subject(EventSubject s) {
            subject = s;
            return this;
        }

        public Builder output(String s) {
            output = s;
            return this;
        }

        public Builder outputFields(Map<String, Object> f) {
            outputFields = f == null ? Map.of() : f;
            return this;
        }

        public Builder hostname(String h) {
            hostname = h;
            return this;
        }

        public Builder rate(RateSummary r) {
            rate = r;
            return this;
        }

        public Builder incident(IncidentSummary s) {
            incident = s;
            return this;
        }

        /** The times of the alert's finding version (null: not stamped). */
        public Builder findingTimes(FindingTimes t) {
            findingTimes = t;
            return this;
        }

        public Alert build() {
            return new Alert(this);
        }
    }
}

package io.trailguard.rules.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the single-event alerts of one event with the same rendered output have in common: the event reference,
 * the subject, the output text and its fields, the hostname; and, written on first use by {@link AlertJson}, their
 * text in the alert line (the {@code time} member before the rule's members, everything from {@code output} to the
 * subject after them). An alert carries these parts only when its own members are these very objects
 * ({@link Alert}'s constructor checks), so a line assembled from them is the line written member by member.
 */
final class AlertLineParts {
    final EventReference event;
    final EventSubject subject;
    final String output;
    final LinkedHashMap<String, Object> fields;
    final String hostname;
    /** The line up to the rule's members: the opening brace and the time member (derived). */
    volatile String head;
    /** {@code ,"output":…,"region":…} and the subject's members (derived). */
    volatile String tail;

    /** @param fields owned by the parts from now on: the caller does not modify it afterwards */
    @SuppressWarnings("unchecked")
    AlertLineParts(EventReference event, EventSubject subject, String output, Map<String, Object> fields,
                   String hostname) {
        this.event = event;
        this.subject = subject;
        this.output = output;
        // a LinkedHashMap is taken as it is: the caller gives up the map (nothing modifies it after)
        this.fields = fields instanceof LinkedHashMap ? (LinkedHashMap<String, Object>) fields
                : new LinkedHashMap<>(fields);
        this.hostname = hostname;
    }
}

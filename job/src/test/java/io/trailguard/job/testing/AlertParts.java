package io.trailguard.job.testing;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.AlertJson;
import io.trailguard.rules.engine.EventReference;
import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.engine.RuleGuidance;
import io.trailguard.rules.engine.RuleIdentity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test alerts from the parts an alert line shows (time, rule, priority text, tags, output, fields, event identity,
 * aggregate map), built with {@link Alert#builder()}; the priority text must be a Falco priority or a Sigma level.
 */
public final class AlertParts {
    private AlertParts() {
    }

    public static Alert of(String time, long millis, String rule, String priority, String source, List<?> tags,
                           String output, Map<?, ?> fields, String hostname, String eventId, String account,
                           String region) {
        return of(time, millis, rule, priority, source, tags, output, fields, hostname, eventId, account, region,
                null);
    }

    @SuppressWarnings("unchecked")
    public static Alert of(String time, long millis, String rule, String priority, String source, List<?> tags,
                           String output, Map<?, ?> fields, String hostname, String eventId, String account,
                           String region, Map<String, Object> aggregate) {
        Priority p = Priority.ofLevel(priority);
        if (p == null) {
            throw new IllegalArgumentException("not a priority: " + priority);
        }
        List<String> tagList = new ArrayList<>();
        for (Object t : tags) {
            tagList.add(String.valueOf(t));
        }
        return Alert.builder()
                .rule(new RuleIdentity(rule, p, tagList, source, null, RuleGuidance.NONE, null))
                .event(new EventReference(eventId, time, millis, account, region))
                .output(output)
                .outputFields(new LinkedHashMap<>((Map<String, Object>) fields))
                .hostname(hostname)
                .rate(aggregate == null ? null : AlertJson.rateOf(aggregate))
                .build();
    }
}

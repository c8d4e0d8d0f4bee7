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
 * Test alerts from the parts an alert line shows, with the subject the engine would have extracted from an event
 * with those values: principal {@code ct.user.arn}, source IP {@code ct.srcip}, user agent {@code ct.useragent},
 * API {@code ct.name}, targets {@code s3.bucket}, {@code iam.role}, {@code ct.request.username}, instance ids and
 * ARNs among the values (the group of a rate alert counts as fields).
 *
 * <p>Test alerts from the parts an alert line shows (time, rule, priority text, tags, output, fields, event identity,
 * aggregate map), built with {@link Alert#builder()}; the priority text must be a Falco priority or a Sigma level.
 */
public final class AlertParts {
    private static final java.util.regex.Pattern INSTANCE_ID = java.util.regex.Pattern.compile("i-[0-9a-f]{8,17}");

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
        Map<String, Object> f = new LinkedHashMap<>((Map<String, Object>) fields);
        if (aggregate != null && aggregate.get("group") instanceof Map) {
            ((Map<String, Object>) aggregate.get("group")).forEach(f::putIfAbsent);
        }
        return Alert.builder()
                .rule(new RuleIdentity(rule, p, tagList, source, null, RuleGuidance.NONE, null))
                .event(new EventReference(eventId, time, millis, account, region))
                .subject(subjectOf(f))
                .output(output)
                .outputFields(new LinkedHashMap<>((Map<String, Object>) fields))
                .hostname(hostname)
                .rate(aggregate == null ? null : AlertJson.rateOf(aggregate))
                .build();
    }

    private static io.trailguard.rules.engine.EventSubject subjectOf(Map<String, Object> f) {
        io.trailguard.rules.engine.EventSubject.Builder b = io.trailguard.rules.engine.EventSubject.builder()
                .principalArn(text(f.get("ct.user.arn")))
                .sourceIp(text(f.get("ct.srcip")))
                .userAgent(text(f.get("ct.useragent")))
                .eventName(text(f.get("ct.name")));
        b.resource(io.trailguard.rules.engine.ResourceKind.S3_BUCKET, text(f.get("s3.bucket")), "s3.bucket");
        b.resource(io.trailguard.rules.engine.ResourceKind.IAM_ROLE, text(f.get("iam.role")), "iam.role");
        b.resource(io.trailguard.rules.engine.ResourceKind.IAM_USER, text(f.get("ct.request.username")),
                "ct.request.username");
        for (Map.Entry<String, Object> e : f.entrySet()) {
            if (e.getKey().equals("ct.user.arn")) {
                continue;
            }
            List<?> values = e.getValue() instanceof List ? (List<?>) e.getValue()
                    : java.util.Collections.singletonList(e.getValue());
            for (Object v : values) {
                String t = text(v);
                if (t == null) {
                    continue;
                }
                if (t.startsWith("arn:")) {
                    b.resource(io.trailguard.rules.engine.TargetKeys.kindOfArn(t), t, e.getKey());
                } else if (INSTANCE_ID.matcher(t).matches()) {
                    b.resource(io.trailguard.rules.engine.ResourceKind.EC2_INSTANCE, t, e.getKey());
                }
            }
        }
        return b.build();
    }

    private static String text(Object v) {
        return v instanceof String ? (String) v : null;
    }
}

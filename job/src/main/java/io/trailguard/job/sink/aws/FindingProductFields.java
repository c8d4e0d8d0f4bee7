package io.trailguard.job.sink.aws;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.EventSubject;
import io.trailguard.rules.engine.RateSummary;
import io.trailguard.rules.engine.RuleGuidanceTags;
import io.trailguard.rules.engine.RuleSet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The finding's {@code ProductFields}, sized: at most {@code maxFields} entries, keys of
 * {@value #MAX_KEY} characters, values cut to {@code valueLimit} (the mapper lowers it until the finding fits its
 * byte budget). Keys use the {@code trailguard/} prefix; AWS reserves {@code aws/}.
 */
final class FindingProductFields {
    static final String PREFIX = "trailguard/";
    static final int MAX_FIELDS = 50;
    static final int MAX_KEY = 128;
    static final int MAX_VALUE = 2048;

    private final LinkedHashMap<String, String> fields = new LinkedHashMap<>();
    private final int valueLimit;
    private final int maxFields;

    private FindingProductFields(int valueLimit, int maxFields) {
        this.valueLimit = valueLimit;
        this.maxFields = maxFields;
    }

    static Map<String, String> of(Alert a, List<String> unmappedTags, int valueLimit, int maxFields) {
        FindingProductFields pf = new FindingProductFields(valueLimit, maxFields);
        EventSubject s = a.subject();
        pf.put("ProviderName", FindingMapper.PRODUCT_NAME);
        pf.put(PREFIX + "Rule", a.rule().name());
        pf.put(PREFIX + "Priority", a.rule().priority().display());
        pf.put(PREFIX + "RuleVersion", a.rule().version());
        pf.put(PREFIX + "BundleVersion", a.rule().bundleVersion());
        pf.put(PREFIX + "Source", a.rule().source());
        pf.put(PREFIX + "EventId", a.event().id());
        pf.put(PREFIX + "EventAccount", a.event().account());
        pf.put(PREFIX + "Region", a.event().region());
        pf.put(PREFIX + "EventTime", a.event().time());
        pf.put(PREFIX + "EventName", s.eventName());
        pf.put(PREFIX + "ErrorCode", s.errorCode());
        pf.put(PREFIX + "SourceIp", s.sourceIp());
        pf.put(PREFIX + "UserAgent", s.userAgent());
        pf.put(PREFIX + "PrincipalArn", s.principalArn());
        pf.put(PREFIX + "AccessKeyId", s.accessKeyId());
        pf.put(PREFIX + "Output", a.output());
        pf.put(PREFIX + "Tags", a.rule().tags().stream().filter(t -> !RuleGuidanceTags.isGuidance(t))
                .collect(Collectors.joining(",")));
        if (!unmappedTags.isEmpty()) {
            pf.put(PREFIX + "UnmappedAttackTags", String.join(",", unmappedTags));
        }
        pf.put(PREFIX + "Hostname", a.hostname());
        RateSummary r = a.rate();
        if (r != null) {
            pf.put(PREFIX + "Aggregate/Type", r.type());
            pf.put(PREFIX + "Aggregate/Condition", r.condition());
            pf.put(PREFIX + "Aggregate/Count", Long.toString(r.count()));
            pf.put(PREFIX + "Aggregate/Group", r.group().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
            pf.put(PREFIX + "Aggregate/WindowStart", RuleSet.isoTime(r.windowStart()));
            pf.put(PREFIX + "Aggregate/WindowEnd", RuleSet.isoTime(r.windowEnd()));
            pf.put(PREFIX + "Aggregate/FirstEventId", r.firstEventId());
            pf.put(PREFIX + "Aggregate/LastEventId", r.lastEventId());
            pf.put(PREFIX + "Aggregate/EventIds", join(r.eventIds()));
        }
        for (Map.Entry<String, Object> e : a.outputFields().entrySet()) {
            pf.put(PREFIX + "Field/" + e.getKey(), str(e.getValue()));
        }
        return pf.fields;
    }

    private void put(String key, String value) {
        if (fields.size() >= maxFields || !Text.hasNonWhitespace(value)) {
            return;
        }
        String k = Text.truncateChars(Text.repairSurrogates(Text.oneLine(key)), MAX_KEY);
        if (fields.containsKey(k)) {
            return;
        }
        fields.put(k, Text.truncateChars(Text.repairSurrogates(value), valueLimit));
    }

    private static String join(List<?> values) {
        StringBuilder b = new StringBuilder();
        for (Object o : values) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(o);
            if (b.length() > MAX_VALUE) {
                break;
            }
        }
        return b.toString();
    }

    private static String str(Object v) {
        if (v == null) {
            return null;
        }
        return v instanceof List ? join((List<?>) v) : String.valueOf(v);
    }
}

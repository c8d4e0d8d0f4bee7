package io.trailguard.rules.engine;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a rate rule's window measured when it fired: the aggregation and its threshold, the group, the count and the
 * measure of the type ({@code distinct}, {@code steps} or {@code value}), the window, the first and last counted
 * events and (up to {@code Firing.MAX_EVENT_IDS}) the counted event ids. Printed as the alert's {@code aggregate}.
 */
public final class RateSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String type;
    private final String condition;
    private final long timespanMillis;
    private final LinkedHashMap<String, String> group;
    private final long count;
    private final Long distinct;
    private final Long steps;
    private final Double value;
    private final List<String> values;
    private final long windowStart;
    private final long windowEnd;
    private final long firstTime;
    private final long lastTime;
    private final String firstEventId;
    private final String lastEventId;
    private final List<String> eventIds;

    /**
     * @param distinct the distinct-value count (value_count, temporal), else null
     * @param steps    the ordered steps reached (temporal_ordered), else null
     * @param value    the measured value (sum, avg, min, max ...), else null
     * @param values   the distinct values (value_count, temporal, temporal_ordered), else null
     */
    public RateSummary(String type, String condition, long timespanMillis, Map<String, String> group, long count,
                       Long distinct, Long steps, Double value, List<String> values, long windowStart,
                       long windowEnd, long firstTime, long lastTime, String firstEventId, String lastEventId,
                       List<String> eventIds) {
        this.type = type;
        this.condition = condition;
        this.timespanMillis = timespanMillis;
        this.group = new LinkedHashMap<>(group);
        this.count = count;
        this.distinct = distinct;
        this.steps = steps;
        this.value = value;
        this.values = values == null ? null : List.copyOf(values);
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.firstTime = firstTime;
        this.lastTime = lastTime;
        this.firstEventId = firstEventId;
        this.lastEventId = lastEventId;
        this.eventIds = List.copyOf(eventIds);
    }

    public String type() {
        return type;
    }

    public String condition() {
        return condition;
    }

    public long timespanMillis() {
        return timespanMillis;
    }

    /** group_by field name to value, in group_by order. */
    public Map<String, String> group() {
        return java.util.Collections.unmodifiableMap(group);
    }

    public long count() {
        return count;
    }

    public Long distinct() {
        return distinct;
    }

    public Long steps() {
        return steps;
    }

    public Double value() {
        return value;
    }

    public List<String> values() {
        return values;
    }

    public long windowStart() {
        return windowStart;
    }

    public long windowEnd() {
        return windowEnd;
    }

    public long firstTime() {
        return firstTime;
    }

    public long lastTime() {
        return lastTime;
    }

    public String firstEventId() {
        return firstEventId;
    }

    public String lastEventId() {
        return lastEventId;
    }

    public List<String> eventIds() {
        return eventIds;
    }

    /** The summary as the alert JSON's {@code aggregate} object, keys in their documented order. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("condition", condition);
        m.put("timespan_ms", timespanMillis);
        m.put("group", new LinkedHashMap<>(group));
        m.put("count", count);
        if (distinct != null) {
            m.put("distinct", distinct);
        }
        if (steps != null) {
            m.put("steps", steps);
        }
        if (values != null) {
            m.put("values", values);
        }
        if (value != null) {
            m.put("value", value);
        }
        m.put("window_start", RuleSet.isoTime(windowStart));
        m.put("window_end", RuleSet.isoTime(windowEnd));
        m.put("first_time", RuleSet.isoTime(firstTime));
        m.put("last_time", RuleSet.isoTime(lastTime));
        m.put("first_event_id", firstEventId);
        m.put("last_event_id", lastEventId);
        m.put("event_ids", eventIds);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RateSummary)) {
            return false;
        }
        RateSummary r = (RateSummary) o;
        return timespanMillis == r.timespanMillis && count == r.count && windowStart == r.windowStart
                && windowEnd == r.windowEnd && firstTime == r.firstTime && lastTime == r.lastTime
                && Objects.equals(type, r.type) && Objects.equals(condition, r.condition) && group.equals(r.group)
                && Objects.equals(distinct, r.distinct) && Objects.equals(steps, r.steps)
                && Objects.equals(value, r.value) && Objects.equals(values, r.values)
                && Objects.equals(firstEventId, r.firstEventId) && Objects.equals(lastEventId, r.lastEventId)
                && eventIds.equals(r.eventIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, group, count, windowStart, lastTime, eventIds);
    }
}

package io.trailguard.rules.field;

import io.trailguard.rules.event.CloudTrailEvent;

/** {@code json.rawtime} / {@code jevt.rawtime}: the event timestamp in nanoseconds, as decimal text. */
final class RawTimeField implements Field {
    private final String name;

    RawTimeField(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ValueType type() {
        return ValueType.STRING;
    }

    @Override
    public Object extract(CloudTrailEvent event) {
        return event.hasTime() ? Long.toString(event.timeMillis() * 1_000_000L) : null;
    }
}

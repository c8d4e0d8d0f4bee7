package io.trailguard.rules.engine;

import java.io.Serializable;
import java.util.Objects;

/**
 * A resource the event's request targets: its kind, the value the request named it by (a name, an id or an ARN)
 * and where that value was found ({@code requestParameters/roleName}, {@code resources}).
 */
public final class TargetResource implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ResourceKind kind;
    private final String value;
    private final String from;

    public TargetResource(ResourceKind kind, String value, String from) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.value = Objects.requireNonNull(value, "value");
        this.from = from;
    }

    public ResourceKind kind() {
        return kind;
    }

    public String value() {
        return value;
    }

    public String from() {
        return from;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TargetResource)) {
            return false;
        }
        TargetResource t = (TargetResource) o;
        return kind == t.kind && value.equals(t.value) && Objects.equals(from, t.from);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, value, from);
    }

    @Override
    public String toString() {
        return kind.wireName() + ":" + value;
    }
}

package io.trailguard.rules.sigma;

import io.trailguard.rules.source.Position;

/**
 * A Sigma rule that is valid but cannot run here, so it is skipped with a warning rather than failing the load
 * (for example an {@code expand} placeholder that has no value: the specification requires rejecting the rule).
 */
final class SkipRule extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Position position;

    SkipRule(Position position, String message) {
        super(message);
        this.position = position;
    }

    Position position() {
        return position;
    }
}

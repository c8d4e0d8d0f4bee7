package io.trailguard.rules.sigma;

import io.trailguard.rules.source.Position;

/** A Sigma document that cannot be loaded: reported as {@code file:line:col: message}. */
final class SigmaException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Position position;

    SigmaException(Position position, String message) {
        super(message);
        this.position = position;
    }

    Position position() {
        return position;
    }
}

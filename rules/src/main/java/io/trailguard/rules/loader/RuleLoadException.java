package io.trailguard.rules.loader;

/** Thrown inside the loader to stop the current file at its first error (Falco's behaviour). */
final class RuleLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Position position;

    RuleLoadException(Position position, String message) {
        super(message);
        this.position = position;
    }

    Position position() {
        return position;
    }
}

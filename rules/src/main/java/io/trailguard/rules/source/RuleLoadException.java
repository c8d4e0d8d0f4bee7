package io.trailguard.rules.source;

/** Thrown while reading a rules file to stop that file at its first error (Falco's behaviour), with its place. */
public final class RuleLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Position position;

    public RuleLoadException(Position position, String message) {
        super(message);
        this.position = position;
    }

    public Position position() {
        return position;
    }
}

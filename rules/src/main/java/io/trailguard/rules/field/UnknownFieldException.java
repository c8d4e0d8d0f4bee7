package io.trailguard.rules.field;

/** A field name (or its argument) that no field provider knows. */
public class UnknownFieldException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnknownFieldException(String message) {
        super(message);
    }
}

package io.trailguard.rules.condition;

/** A condition (or output format) that does not parse; {@link #offset()} is the character position in its text. */
public final class ConditionSyntaxException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int offset;
    private final boolean unknownField;

    public ConditionSyntaxException(String message, int offset) {
        this(message, offset, false);
    }

    public ConditionSyntaxException(String message, int offset, boolean unknownField) {
        super(message);
        this.offset = offset;
        this.unknownField = unknownField;
    }

    /** True when the problem is a field name no provider knows (rules may opt to be skipped then). */
    public boolean unknownField() {
        return unknownField;
    }

    public int offset() {
        return offset;
    }
}

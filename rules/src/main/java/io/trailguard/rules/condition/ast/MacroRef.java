package io.trailguard.rules.condition.ast;

/** A bare identifier in a condition: a reference to a macro. */
public final class MacroRef implements Expr {
    private final String name;
    private final int offset;

    public MacroRef(String name, int offset) {
        this.name = name;
        this.offset = offset;
    }

    public String name() {
        return name;
    }

    /** Character offset of the reference in the condition text. */
    public int offset() {
        return offset;
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitMacro(this);
    }

    @Override
    public String toString() {
        return name;
    }
}

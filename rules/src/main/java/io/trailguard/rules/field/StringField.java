package io.trailguard.rules.field;

/** A {@link Field} of {@link ValueType#STRING} values under the name it was given. */
public abstract class StringField implements Field {
    private final String name;

    protected StringField(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final ValueType type() {
        return ValueType.STRING;
    }
}

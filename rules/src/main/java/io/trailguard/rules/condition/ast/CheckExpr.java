package io.trailguard.rules.condition.ast;

import java.util.List;

/**
 * A comparison {@code field op value}. Exactly one of {@code value}, {@code values}, {@code valueField} is used,
 * depending on the operator: unary {@code exists} has none; list operators and modifier forms have
 * {@code values}; {@code val(field)} or a transformer on the right-hand side is {@code valueField}.
 */
public final class CheckExpr implements Expr {
    private final FieldExpr field;
    private final String operator;
    private final String modifier; // oneof / anyof / allof, or null
    private final String value;
    private final List<String> values;
    private final FieldExpr valueField;
    private final int offset;

    public CheckExpr(FieldExpr field, String operator, String modifier, String value, List<String> values,
                     FieldExpr valueField, int offset) {
        this.field = field;
        this.operator = operator;
        this.modifier = modifier;
        this.value = value;
        this.values = values == null ? null : List.copyOf(values);
        this.valueField = valueField;
        this.offset = offset;
    }

    public FieldExpr field() {
        return field;
    }

    public String operator() {
        return operator;
    }

    public String modifier() {
        return modifier;
    }

    public String value() {
        return value;
    }

    public List<String> values() {
        return values;
    }

    public FieldExpr valueField() {
        return valueField;
    }

    public int offset() {
        return offset;
    }

    @Override
    public <R> R accept(ExprVisitor<R> visitor) {
        return visitor.visitCheck(this);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(field.text()).append(' ').append(operator);
        if (modifier != null) {
            sb.append(' ').append(modifier);
        }
        if (value != null) {
            sb.append(' ').append('"').append(value).append('"');
        } else if (values != null) {
            sb.append(' ').append(values);
        } else if (valueField != null) {
            sb.append(" val(").append(valueField.text()).append(')');
        }
        return sb.toString();
    }
}

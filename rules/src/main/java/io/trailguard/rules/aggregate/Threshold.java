package io.trailguard.rules.aggregate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * One comparison ({@code gte: 10}) or two ANDed into a range ({@code gt: 5, lte: 10}). A threshold with
 * {@code lt} or {@code lte} ("too few") can only be decided when the window ends; the others are decided as
 * soon as an event arrives.
 */
public final class Threshold implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final Set<String> OPERATORS = Set.of("gt", "gte", "lt", "lte", "eq", "neq");

    private final List<String> ops;
    private final List<Double> values;

    public Threshold(List<String> ops, List<Double> values) {
        if (ops.isEmpty() || ops.size() > 2 || ops.size() != values.size()) {
            throw new IllegalArgumentException("a threshold needs one or two of gt, gte, lt, lte, eq, neq");
        }
        for (String op : ops) {
            if (!OPERATORS.contains(op)) {
                throw new IllegalArgumentException("unknown threshold operator '" + op + "'");
            }
        }
        this.ops = Collections.unmodifiableList(new ArrayList<>(ops));
        this.values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    public boolean test(double v) {
        for (int i = 0; i < ops.size(); i++) {
            if (!test(ops.get(i), v, values.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean test(String op, double v, double t) {
        switch (op) {
            case "gt":
                return v > t;
            case "gte":
                return v >= t;
            case "lt":
                return v < t;
            case "lte":
                return v <= t;
            case "eq":
                return v == t;
            default:
                return v != t;
        }
    }

    /** True when the decision waits for the window's end (a "too few" bound). */
    public boolean atWindowEnd() {
        return ops.contains("lt") || ops.contains("lte");
    }

    public List<String> ops() {
        return ops;
    }

    public List<Double> values() {
        return values;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ops.size(); i++) {
            if (i > 0) {
                sb.append(" and ");
            }
            double v = values.get(i);
            sb.append(ops.get(i)).append(' ').append(v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
        }
        return sb.toString();
    }
}

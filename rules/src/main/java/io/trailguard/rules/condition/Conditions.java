package io.trailguard.rules.condition;

import io.trailguard.rules.field.EvaluationContext;
import io.trailguard.rules.field.FieldRef;

import java.util.List;

/** The boolean and presence nodes of a compiled condition. */
final class Conditions {
    private Conditions() {}

    static Condition and(List<Condition> children) {
        final Condition[] c = children.toArray(new Condition[0]);
        if (c.length == 2) {
            final Condition a = c[0];
            final Condition b = c[1];
            return ctx -> a.test(ctx) && b.test(ctx);
        }
        return ctx -> {
            for (Condition x : c) {
                if (!x.test(ctx)) {
                    return false;
                }
            }
            return true;
        };
    }

    static Condition or(List<Condition> children) {
        final Condition[] c = children.toArray(new Condition[0]);
        return ctx -> {
            for (Condition x : c) {
                if (x.test(ctx)) {
                    return true;
                }
            }
            return false;
        };
    }

    static Condition not(Condition child) {
        return ctx -> !child.test(ctx);
    }

    static Condition exists(FieldRef ref) {
        return ctx -> ctx.value(ref) != null;
    }

    /** {@code field op value}: false when the field is absent (Falco, also for !=). */
    static Condition compare(FieldRef ref, ValueTest test) {
        return new Compare(ref, test);
    }

    /** {@code field op val(other)}: false when either side is absent. */
    static Condition compareFields(FieldRef left, String op, FieldRef right) {
        return ctx -> {
            Object l = ctx.value(left);
            if (l == null) {
                return false;
            }
            Object r = ctx.value(right);
            if (r == null) {
                return false;
            }
            String rv = r instanceof List ? String.join(",", castList(r)) : r.toString();
            if (l instanceof List) {
                for (String v : castList(l)) {
                    if (StringOps.apply(op, v, rv)) {
                        return true;
                    }
                }
                return false;
            }
            if (l instanceof Long && r instanceof Long) {
                return StringOps.compareNumbers(op, (Long) l, (Long) r);
            }
            return StringOps.apply(op, l.toString(), rv);
        };
    }

    /**
     * {@code inner}, evaluated at most once per event: its result is kept in the context's {@code slot}, so every
     * rule holding this (interned) predicate reads the first evaluation's answer.
     */
    static Condition memoised(int slot, Condition inner) {
        return new Memoised(slot, inner);
    }

    @SuppressWarnings("unchecked")
    static List<String> castList(Object o) {
        return (List<String>) o;
    }

    private static final class Compare implements Condition {
        private final FieldRef ref;
        private final ValueTest test;

        Compare(FieldRef ref, ValueTest test) {
            this.ref = ref;
            this.test = test;
        }

        @Override
        public boolean test(EvaluationContext ctx) {
            Object v = ctx.value(ref);
            return v != null && test.test(v);
        }
    }

    private static final class Memoised implements Condition {
        private final int slot;
        private final Condition inner;

        Memoised(int slot, Condition inner) {
            this.slot = slot;
            this.inner = inner;
        }

        @Override
        public boolean test(EvaluationContext ctx) {
            Object known = ctx.kept(slot);
            if (known != null) {
                return known == Boolean.TRUE;
            }
            return ctx.keep(slot, inner.test(ctx) ? Boolean.TRUE : Boolean.FALSE);
        }
    }
}

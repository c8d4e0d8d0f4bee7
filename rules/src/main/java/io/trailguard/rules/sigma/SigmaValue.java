package io.trailguard.rules.sigma;

import java.math.BigDecimal;
import java.util.List;

/**
 * A typed value of a detection item after its modifiers (pySigma's {@code SigmaType} family): strings with
 * wildcards ({@link SigmaString}), numbers, booleans, null, regular expressions, CIDR networks, existence checks,
 * comparisons, date parts, field references and expansions (OR groups made by windash-like modifiers).
 */
abstract class SigmaValue {

    static final class Num extends SigmaValue {
        final BigDecimal value;
        final String text; // as written

        Num(BigDecimal value, String text) {
            this.value = value;
            this.text = text;
        }

        boolean isIntegral() {
            return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    static final class Bool extends SigmaValue {
        final boolean value;

        Bool(boolean value) {
            this.value = value;
        }

        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    static final class Null extends SigmaValue {
        @Override
        public String toString() {
            return "null";
        }
    }

    static final class Regex extends SigmaValue {
        final String regex;
        final boolean ignoreCase;
        final boolean multiline;
        final boolean dotAll;

        Regex(String regex, boolean ignoreCase, boolean multiline, boolean dotAll) {
            this.regex = regex;
            this.ignoreCase = ignoreCase;
            this.multiline = multiline;
            this.dotAll = dotAll;
        }

        @Override
        public String toString() {
            return "/" + regex + "/";
        }
    }

    static final class Cidr extends SigmaValue {
        final IpNetwork network;

        Cidr(IpNetwork network) {
            this.network = network;
        }

        @Override
        public String toString() {
            return network.toString();
        }
    }

    static final class Exists extends SigmaValue {
        final boolean exists;

        Exists(boolean exists) {
            this.exists = exists;
        }
    }

    /** Date parts of the time modifiers. */
    enum TimePart { MINUTE, HOUR, DAY, WEEK, MONTH, YEAR }

    /** Numeric comparison ({@code lt lte gt gte}), of the value or of a date part of it. */
    static final class Compare extends SigmaValue {
        final String op;
        final BigDecimal number;
        final TimePart part; // null: compare the value itself

        Compare(String op, BigDecimal number, TimePart part) {
            this.op = op;
            this.number = number;
            this.part = part;
        }
    }

    /** A date part equal to a number ({@code field|hour: 3}). */
    static final class DatePart extends SigmaValue {
        final TimePart part;
        final BigDecimal number;

        DatePart(TimePart part, BigDecimal number) {
            this.part = part;
            this.number = number;
        }
    }

    /** {@code fieldref}: compare with another field of the same event. */
    static final class FieldRef extends SigmaValue {
        final String path;
        final boolean startsWith;
        final boolean endsWith;

        FieldRef(String path, boolean startsWith, boolean endsWith) {
            this.path = path;
            this.startsWith = startsWith;
            this.endsWith = endsWith;
        }
    }

    /** Values produced from one value by a modifier: OR-linked, even inside an {@code all} item. */
    static final class Expansion extends SigmaValue {
        final List<SigmaValue> values;

        Expansion(List<SigmaValue> values) {
            this.values = List.copyOf(values);
        }
    }
}

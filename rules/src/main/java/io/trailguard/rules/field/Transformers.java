package io.trailguard.rules.field;

import java.util.List;
import java.util.Set;

/**
 * Builds a transformer call as libs' filter compiler does ({@code filter.cpp}, {@code
 * sinsp_filtercheck_multivalue_transformer.cpp}), with libs' type rules as load errors: a call with one argument
 * is a single-value transformer ({@link TransformedField}); {@code join}, {@code concat} and {@code getopt} take
 * several; only {@code getopt} takes a field argument (the option to select).
 */
public final class Transformers {
    /** Every transformer a condition or an output may call (besides {@code val}). */
    public static final Set<String> NAMES = Set.of("tolower", "toupper", "b64", "basename", "len", "join", "concat",
            "getopt");
    private static final Set<String> MULTI_VALUE = Set.of("join", "concat", "getopt");

    private Transformers() {
    }

    /**
     * The field for {@code transformer(args...)[selector]}; {@code name} is its canonical text.
     *
     * @throws UnknownFieldException with libs' meaning when the arguments do not fit the transformer
     */
    public static Field of(String name, String transformer, List<Field> args, String selector) {
        if (!NAMES.contains(transformer)) {
            throw new UnknownFieldException("unknown transformer '" + transformer + "'");
        }
        if (selector != null && !transformer.equals("getopt")) {
            throw new UnknownFieldException("transformer '" + transformer + "' does not support field arguments");
        }
        if (!MULTI_VALUE.contains(transformer)) {
            if (args.size() != 1) {
                throw new UnknownFieldException("transformer '" + transformer + "' takes one argument, not "
                        + args.size());
            }
            return new TransformedField(transformer, args.get(0));
        }
        switch (transformer) {
            case "join":
                return join(name, args);
            case "concat":
                return concat(name, args);
            default:
                return getopt(name, args, selector);
        }
    }

    private static Field join(String name, List<Field> args) {
        if (args.size() != 2) {
            throw new UnknownFieldException("join() requires exactly 2 arguments: separator and list");
        }
        if (args.get(0).type() == ValueType.LIST) {
            throw new UnknownFieldException("join() first argument (separator) must be a single value, not a list");
        }
        if (args.get(1).type() != ValueType.LIST) {
            throw new UnknownFieldException("join() second argument must be a list");
        }
        return new JoinField(name, args.get(0), args.get(1));
    }

    private static Field concat(String name, List<Field> args) {
        if (args.size() < 2) {
            throw new UnknownFieldException("concat() requires at least 2 arguments");
        }
        for (Field f : args) {
            if (f.type() != ValueType.STRING) {
                throw new UnknownFieldException("concat() arguments must be strings, but '" + f.name() + "' is "
                        + (f.type() == ValueType.LIST ? "a list" : "numeric"));
            }
        }
        return new ConcatField(name, args);
    }

    private static Field getopt(String name, List<Field> args, String selector) {
        if (args.size() != 2) {
            throw new UnknownFieldException("getopt() requires exactly 2 arguments: args list and optstring");
        }
        if (args.get(0).type() != ValueType.LIST) {
            throw new UnknownFieldException("getopt() first argument must be a list");
        }
        if (args.get(1).type() == ValueType.LIST) {
            throw new UnknownFieldException("getopt() second argument (optstring) must be a single value");
        }
        if (args.get(1).type() != ValueType.STRING) {
            throw new UnknownFieldException("getopt() arguments must be strings, but '" + args.get(1).name()
                    + "' is numeric");
        }
        if (selector != null && selector.length() != 1) {
            throw new UnknownFieldException("getopt() field argument must be a single option character");
        }
        return new GetoptField(name, args.get(0), args.get(1), selector == null ? null : selector.charAt(0));
    }
}

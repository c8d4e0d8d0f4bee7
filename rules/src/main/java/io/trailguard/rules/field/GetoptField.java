package io.trailguard.rules.field;

import io.trailguard.rules.event.CloudTrailEvent;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * libs' {@code getopt(args, optstring)}: reads a list of arguments as POSIX getopt(3) does with the option
 * string (a letter followed by {@code :} takes a value), stopping at {@code --} or at the first argument that is
 * not an option, skipping long options ({@code --exec}) and expanding clusters ({@code -nt}).
 *
 * <p>Without a selector the result is a list: each option letter, followed by its value when it takes one; an
 * option that is not in the option string gives {@code ?}, and an option whose value is missing gives {@code ""}
 * (in place of its letter). With a selector ({@code getopt(...)[t]}) the result is one string: the value of the
 * last {@code -t} ({@code ""} when its value is missing, the letter itself when it takes none), absent when there
 * is no {@code -t}. Argument types are checked by {@link Transformers}.
 */
final class GetoptField implements Field {
    private final String name;
    private final Field args;
    private final Field optstring;
    private final Character selector;

    GetoptField(String name, Field args, Field optstring, Character selector) {
        this.name = name;
        this.args = args;
        this.optstring = optstring;
        this.selector = selector;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ValueType type() {
        return selector == null ? ValueType.LIST : ValueType.STRING;
    }

    @Override
    public Object extract(CloudTrailEvent event) {
        Object spec = optstring.extract(event);
        if (spec == null) {
            return null;
        }
        Object argValues = args.extract(event);
        if (argValues == null) {
            return null;
        }
        Options options = new Options(FieldList.text(spec));
        List<String> argv = new ArrayList<>();
        FieldList.addTexts(argv, argValues);
        List<String> results = new ArrayList<>();
        String selected = null;
        for (int idx = 0; idx < argv.size(); idx++) {
            String arg = argv.get(idx);
            if (arg.equals("--")) {
                break;
            }
            if (arg.length() > 2 && arg.startsWith("--")) {
                continue;
            }
            if (arg.length() < 2 || arg.charAt(0) != '-') {
                break;
            }
            for (int i = 1; i < arg.length(); i++) {
                char opt = arg.charAt(i);
                if (opt == ':' || !options.valid.get(opt)) {
                    if (selector == null) {
                        results.add("?");
                    }
                    continue;
                }
                boolean match = selector == null || opt == selector;
                String letter = String.valueOf(opt);
                if (!options.withValue.get(opt)) {
                    if (match) {
                        selected = emit(results, letter, null);
                    }
                    continue;
                }
                String value;
                if (i + 1 < arg.length()) {
                    value = arg.substring(i + 1);
                } else if (idx + 1 < argv.size()) {
                    value = argv.get(++idx);
                } else {
                    value = null;
                }
                if (match) {
                    selected = value == null ? emit(results, "", null) : emit(results, letter, value);
                }
                break;
            }
        }
        return selector == null ? results : selected;
    }

    /** Adds an option's result in list mode; returns the selected text in selector mode. */
    private String emit(List<String> results, String letter, String value) {
        if (selector != null) {
            return value != null ? value : letter;
        }
        results.add(letter);
        if (value != null) {
            results.add(value);
        }
        return null;
    }

    /** An option string: which letters are options and which of them take a value. */
    private static final class Options {
        final BitSet valid = new BitSet();
        final BitSet withValue = new BitSet();

        Options(String spec) {
            for (int i = 0; i < spec.length(); i++) {
                char c = spec.charAt(i);
                if (c == ':') {
                    continue;
                }
                valid.set(c);
                if (i + 1 < spec.length() && spec.charAt(i + 1) == ':') {
                    withValue.set(c);
                    i++;
                }
            }
        }
    }
}

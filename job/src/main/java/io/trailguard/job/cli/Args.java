package io.trailguard.job.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options of one command: {@code --name value...} (values up to the next {@code --option}; the option may repeat)
 * and {@code --name=value}. Options without values are switches.
 */
public final class Args {
    private final String command;
    private final LinkedHashMap<String, List<String>> options;

    private Args(String command, LinkedHashMap<String, List<String>> options) {
        this.command = command;
        this.options = options;
    }

    /** Parses the words after the command name. */
    public static Args parse(String command, List<String> words) throws UsageException {
        LinkedHashMap<String, List<String>> options = new LinkedHashMap<>();
        List<String> current = null;
        for (String w : words) {
            if (w.startsWith("--") && w.length() > 2) {
                String name = w.substring(2);
                String inline = null;
                int eq = name.indexOf('=');
                if (eq > 0) {
                    inline = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                current = options.computeIfAbsent(name, k -> new ArrayList<>());
                if (inline != null) {
                    current.add(inline);
                }
            } else if (current == null) {
                throw new UsageException(command + ": unexpected argument '" + w + "' (options start with --)");
            } else {
                current.add(w);
            }
        }
        return new Args(command, options);
    }

    public static Args parse(String command, String[] words, int from) throws UsageException {
        return parse(command, Arrays.asList(words).subList(from, words.length));
    }

    public String command() {
        return command;
    }

    /** Fails on an option not in {@code allowed}. */
    public Args allow(String... allowed) throws UsageException {
        Set<String> ok = new TreeSet<>(Arrays.asList(allowed));
        for (String name : options.keySet()) {
            if (!ok.contains(name)) {
                throw new UsageException(command + ": unknown option --" + name + " (options: --"
                        + String.join(", --", ok) + ")");
            }
        }
        return this;
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    /** All values of an option (possibly repeated); empty when absent. */
    public List<String> values(String name) {
        List<String> v = options.get(name);
        return v == null ? Collections.emptyList() : Collections.unmodifiableList(v);
    }

    /** Values of a required option with at least one value. */
    public List<String> required(String name, String what) throws UsageException {
        List<String> v = values(name);
        if (v.isEmpty()) {
            throw new UsageException(command + ": --" + name + " " + what + " is required");
        }
        return v;
    }

    /** The single value of an option, or null when absent. */
    public String single(String name) throws UsageException {
        List<String> v = options.get(name);
        if (v == null) {
            return null;
        }
        if (v.size() != 1) {
            throw new UsageException(command + ": --" + name + " takes exactly one value");
        }
        return v.get(0);
    }

    /** A switch without values. */
    public boolean flag(String name) throws UsageException {
        List<String> v = options.get(name);
        if (v != null && !v.isEmpty()) {
            throw new UsageException(command + ": --" + name + " takes no value");
        }
        return v != null;
    }

    public Map<String, List<String>> all() {
        return Collections.unmodifiableMap(options);
    }
}

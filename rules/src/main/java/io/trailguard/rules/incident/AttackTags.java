package io.trailguard.rules.incident;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads MITRE ATT&CK tactics and techniques from rule tags, in both conventions rules use: SigmaHQ's
 * ({@code attack.persistence}, {@code attack.t1098.001}, as the bundled packs write them) and Falco's upstream rules'
 * ({@code mitre_persistence}, {@code T1098.001}). Tactics come out as SigmaHQ spells them (lowercase, hyphens),
 * techniques as {@code tNNNN[.NNN]}; group ({@code attack.g0016}) and software ({@code attack.s0002}) tags are
 * neither.
 */
public final class AttackTags {
    private static final Pattern TECHNIQUE = Pattern.compile("t\\d{4}(\\.\\d{3})?");
    private static final Pattern OTHER_ID = Pattern.compile("[gs]\\d{4}");
    private static final Pattern TACTIC = Pattern.compile("[a-z]+(-[a-z]+)*");

    private AttackTags() {
    }

    /** The tactics among the tags, in tag order, each once. */
    public static List<String> tactics(List<String> tags) {
        List<String> out = new ArrayList<>();
        for (String tag : tags) {
            String t = tactic(tag);
            if (t != null && !out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** The techniques among the tags, in tag order, each once. */
    public static List<String> techniques(List<String> tags) {
        List<String> out = new ArrayList<>();
        for (String tag : tags) {
            String t = technique(tag);
            if (t != null && !out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    static String tactic(String tag) {
        String t = tag.toLowerCase(Locale.ROOT);
        String name;
        if (t.startsWith("attack.")) {
            name = t.substring("attack.".length());
        } else if (t.startsWith("mitre_")) {
            name = t.substring("mitre_".length()).replace('_', '-');
        } else {
            return null;
        }
        if (TECHNIQUE.matcher(name).matches() || OTHER_ID.matcher(name).matches() || !TACTIC.matcher(name).matches()) {
            return null;
        }
        return name;
    }

    static String technique(String tag) {
        String t = tag.toLowerCase(Locale.ROOT);
        if (t.startsWith("attack.")) {
            t = t.substring("attack.".length());
        } else if (!tag.startsWith("T")) {
            return null; // Falco writes techniques in upper case (T1098); a lowercase bare tag is something else
        }
        return TECHNIQUE.matcher(t).matches() ? t : null;
    }
}

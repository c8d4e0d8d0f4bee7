package io.trailguard.rules.loader;

import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.engine.Priority;

import java.util.ArrayList;
import java.util.List;

/**
 * How a rule set is built from its files: matching mode, minimum priority, and enable/disable selections by
 * rule-name wildcard or tag, applied in order after loading (Falco's {@code rules:} selection in falco.yaml).
 */
public final class LoadOptions {
    private MatchingMode matching = MatchingMode.ALL;
    private Priority minPriority = Priority.DEBUG;
    private final List<Selection> selections = new ArrayList<>();
    private boolean sigmaErrata = true;
    private String bundleVersion;

    public static LoadOptions defaults() {
        return new LoadOptions();
    }

    public LoadOptions matching(MatchingMode m) {
        this.matching = m;
        return this;
    }

    public LoadOptions minPriority(Priority p) {
        this.minPriority = p;
        return this;
    }

    /** Enables ({@code enable=true}) or disables the rules whose name matches the glob {@code rulePattern}. */
    public LoadOptions selectRule(boolean enable, String rulePattern) {
        selections.add(new Selection(enable, rulePattern, null));
        return this;
    }

    /** Enables or disables every rule carrying {@code tag}. */
    public LoadOptions selectTag(boolean enable, String tag) {
        selections.add(new Selection(enable, null, tag));
        return this;
    }

    /**
     * Whether Trailguard's local errata for known defects of SigmaHQ rules are applied when those rules are loaded
     * (default true; see rules/SIGMA.md). Turning them off evaluates the upstream rules exactly as written.
     */
    public LoadOptions sigmaErrata(boolean apply) {
        this.sigmaErrata = apply;
        return this;
    }

    /** The version id of the rule bundle being loaded: every alert of the loaded rules names it (null: none). */
    public LoadOptions bundleVersion(String version) {
        this.bundleVersion = version;
        return this;
    }

    public String bundleVersion() {
        return bundleVersion;
    }

    public boolean sigmaErrata() {
        return sigmaErrata;
    }

    public MatchingMode matching() {
        return matching;
    }

    public Priority minPriority() {
        return minPriority;
    }

    List<Selection> selections() {
        return selections;
    }

    static final class Selection {
        final boolean enable;
        final String rulePattern;
        final String tag;

        Selection(boolean enable, String rulePattern, String tag) {
            this.enable = enable;
            this.rulePattern = rulePattern;
            this.tag = tag;
        }

        boolean applies(String ruleName, java.util.Collection<String> tags) {
            if (tag != null) {
                return tags.contains(tag);
            }
            return java.util.regex.Pattern.compile(globToJavaRegex(rulePattern)).matcher(ruleName).matches();
        }

        private static String globToJavaRegex(String glob) {
            StringBuilder sb = new StringBuilder();
            for (char c : glob.toCharArray()) {
                if (c == '*') {
                    sb.append(".*");
                } else if (c == '?') {
                    sb.append('.');
                } else {
                    sb.append(java.util.regex.Pattern.quote(String.valueOf(c)));
                }
            }
            return sb.toString();
        }
    }
}

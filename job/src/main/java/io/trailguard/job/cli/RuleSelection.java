package io.trailguard.job.cli;

import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.sigma.SigmaLoader;
import io.trailguard.rules.source.RuleSource;
import io.trailguard.rules.source.YamlNodes;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a command runs: the bundled packs (unless turned off), then the user's files in order, then the rules
 * turned off by name or tag.
 *
 * <p>Turning off follows Falco's rule selection ({@code rules: - disable: {rule: NAME}} / {@code {tag: TAG}} in
 * falco.yaml, which replaced its {@code -D}/{@code -T} flags): a name matches exactly, or as a pattern where
 * {@code *} stands for any characters (the only wildcard, case-sensitive, the whole name must match); a tag matches
 * a rule that carries exactly that tag. A pattern or tag that matches no rule is a warning, not an error.
 *
 * <p>The selection travels with the rules as one more Falco file that overrides {@code enabled} of each matched rule
 * ({@link #overrides}), so a published bundle and the job's start-up rules turn off the same rules the local
 * commands do. Sigma rules have no override syntax: selecting one is an error naming it.
 */
final class RuleSelection {
    static final String OVERRIDES_NAME = "(--disable-rule/--disable-tag)";

    final boolean bundled;
    final List<String> paths;
    final List<String> disableRules;
    final List<String> disableTags;

    RuleSelection(boolean bundled, List<String> paths, List<String> disableRules, List<String> disableTags) {
        this.bundled = bundled;
        this.paths = List.copyOf(paths);
        this.disableRules = List.copyOf(disableRules);
        this.disableTags = List.copyOf(disableTags);
    }

    /** The start-up rules of the job's configuration ({@code rules.*} keys). */
    static RuleSelection of(TrailguardConfig c) {
        return new RuleSelection(c.bundledRules(), c.rulesPath(), c.disabledRules(), c.disabledTags());
    }

    boolean disablesAny() {
        return !disableRules.isEmpty() || !disableTags.isEmpty();
    }

    /** Falco's rule-name wildcard: {@code *} is any run of characters, everything else literal. */
    static boolean nameMatches(String pattern, String name) {
        if (!pattern.contains("*")) {
            return pattern.equals(name);
        }
        StringBuilder re = new StringBuilder();
        String[] parts = pattern.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            re.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(name).matches();
    }

    /** The enabled rules of {@code rules} this selection turns off, in load order. */
    List<Rule> matched(RuleSet rules, List<String> warnings) {
        Set<Rule> out = new LinkedHashSet<>();
        for (String p : disableRules) {
            boolean any = false;
            for (Rule r : rules.rules()) {
                if (nameMatches(p, r.name())) {
                    out.add(r);
                    any = true;
                }
            }
            if (!any) {
                warnings.add("--disable-rule '" + p + "' matches no loaded rule");
            }
        }
        for (String t : disableTags) {
            boolean any = false;
            for (Rule r : rules.rules()) {
                if (r.tags().contains(t)) {
                    out.add(r);
                    any = true;
                }
            }
            if (!any) {
                warnings.add("--disable-tag '" + t + "' matches no loaded rule");
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * The Falco file that turns {@code rules} off, loaded after {@code sources}.
     *
     * @throws IllegalArgumentException when one of them is a Sigma rule
     */
    static RuleSource overrides(List<Rule> rules, List<RuleSource> sources) {
        StringBuilder yaml = new StringBuilder("# rules turned off on the command line or by rules.disable / "
                + "rules.disable_tags\n");
        for (Rule r : rules) {
            String file = r.origin().substring(0, r.origin().lastIndexOf(':'));
            for (RuleSource s : sources) {
                if (s.name().equals(file) && SigmaLoader.isSigma(YamlNodes.documents(s))) {
                    throw new IllegalArgumentException("rule '" + r.name() + "' (" + r.origin() + ") is a Sigma "
                            + "rule, which cannot be turned off by name or tag: leave its file out instead");
                }
            }
            yaml.append("- rule: ").append(new com.fasterxml.jackson.databind.node.TextNode(r.name()).toString()).append('\n')
                    .append("  enabled: false\n")
                    .append("  override:\n")
                    .append("    enabled: replace\n");
        }
        return new RuleSource(OVERRIDES_NAME, yaml.toString());
    }
}

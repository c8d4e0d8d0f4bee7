package io.trailguard.rules.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The tag convention that carries {@link RuleGuidance} in Falco rule files, which Falco loads as ordinary tags:
 * {@code remediation:TEXT}, {@code remediation_url:URL}, {@code ref:URL} (repeatable), {@code runbook:URL} and
 * {@code false_positive:TEXT} (repeatable). The first remediation, remediation_url and runbook tag counts.
 * {@code version:V} gives the rule's own version (bumped when its condition or meaning changes), which outputs
 * show next to the bundle version.
 */
public final class RuleGuidanceTags {
    public static final String REMEDIATION = "remediation:";
    public static final String REMEDIATION_URL = "remediation_url:";
    public static final String REFERENCE = "ref:";
    public static final String RUNBOOK = "runbook:";
    public static final String FALSE_POSITIVE = "false_positive:";
    public static final String VERSION = "version:";

    private RuleGuidanceTags() {
    }

    /** True when the tag is one of the guidance tags (outputs may leave them out of tag lists). */
    public static boolean isGuidance(String tag) {
        return tag.startsWith(REMEDIATION) || tag.startsWith(REMEDIATION_URL) || tag.startsWith(REFERENCE)
                || tag.startsWith(RUNBOOK) || tag.startsWith(FALSE_POSITIVE) || tag.startsWith(VERSION);
    }

    /** The rule's version from its first {@code version:} tag, or null when it has none. */
    public static String version(List<String> tags) {
        for (String t : tags) {
            if (t.startsWith(VERSION) && !value(t, VERSION).isEmpty()) {
                return value(t, VERSION);
            }
        }
        return null;
    }

    public static RuleGuidance of(List<String> tags) {
        String remediation = null;
        String url = null;
        String runbook = null;
        List<String> refs = new ArrayList<>();
        List<String> fps = new ArrayList<>();
        for (String t : tags) {
            if (t.startsWith(REMEDIATION_URL)) {
                url = url == null ? value(t, REMEDIATION_URL) : url;
            } else if (t.startsWith(REMEDIATION)) {
                remediation = remediation == null ? value(t, REMEDIATION) : remediation;
            } else if (t.startsWith(REFERENCE)) {
                refs.add(value(t, REFERENCE));
            } else if (t.startsWith(RUNBOOK)) {
                runbook = runbook == null ? value(t, RUNBOOK) : runbook;
            } else if (t.startsWith(FALSE_POSITIVE)) {
                fps.add(value(t, FALSE_POSITIVE));
            }
        }
        if (remediation == null && url == null && runbook == null && refs.isEmpty() && fps.isEmpty()) {
            return RuleGuidance.NONE;
        }
        return new RuleGuidance(remediation, url, refs, runbook, fps);
    }

    private static String value(String tag, String prefix) {
        return tag.substring(prefix.length()).trim();
    }
}

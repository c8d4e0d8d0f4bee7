package io.trailguard.rules.engine;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Which rule raised an alert: its name, priority, tags and source, what it detects ({@code desc}), the guidance its
 * rule file gives ({@link RuleGuidance}), the rule's own version ({@link Rule#version()}) and the version of the rule
 * bundle it came from (null when unknown, e.g. a local rules directory).
 */
public final class RuleIdentity implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final Priority priority;
    private final List<String> tags;
    private final String source;
    private final String description;
    private final RuleGuidance guidance;
    private final String bundleVersion;
    private final String version;
    /** This identity's members of the alert line, written on first use by {@link AlertJson} (derived, not state). */
    transient volatile String jsonHead;
    transient volatile String jsonInfo;

    /** An identity whose rule version is its {@code version:} tag's ({@link RuleGuidanceTags#version}). */
    public RuleIdentity(String name, Priority priority, List<String> tags, String source, String description,
                        RuleGuidance guidance, String bundleVersion) {
        this(name, priority, tags, source, description, guidance, bundleVersion, RuleGuidanceTags.version(tags));
    }

    /** @param version the rule's own version ({@link Rule#version()}), or null */
    public RuleIdentity(String name, Priority priority, List<String> tags, String source, String description,
                        RuleGuidance guidance, String bundleVersion, String version) {
        this.name = Objects.requireNonNull(name, "rule name");
        this.priority = Objects.requireNonNull(priority, "priority");
        this.tags = List.copyOf(tags);
        this.source = source;
        this.description = description;
        this.guidance = guidance == null ? RuleGuidance.NONE : guidance;
        this.bundleVersion = bundleVersion;
        this.version = version;
    }

    /** The identity of a compiled rule. */
    public static RuleIdentity of(Rule r, String bundleVersion) {
        return new RuleIdentity(r.name(), r.priority(), r.tags(), r.source(), r.description(), r.guidance(),
                bundleVersion, r.version());
    }

    public String name() {
        return name;
    }

    public Priority priority() {
        return priority;
    }

    public List<String> tags() {
        return tags;
    }

    public String source() {
        return source;
    }

    /** What the rule detects (its {@code desc}); may be null. */
    public String description() {
        return description;
    }

    public RuleGuidance guidance() {
        return guidance;
    }

    /** The rule's own version (a Falco {@code version:} tag, a Sigma rule's {@code modified}/{@code date}), or null. */
    public String version() {
        return version;
    }

    /**
     * True when the rule version is not the one its tags give (a Sigma rule's date): the alert line then writes it
     * ({@code rule_info.rule_version}); a tag's version travels with the tags.
     */
    public boolean hasUntaggedVersion() {
        return version != null && !version.equals(RuleGuidanceTags.version(tags));
    }

    /** The rule bundle's version id, or null. */
    public String bundleVersion() {
        return bundleVersion;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RuleIdentity)) {
            return false;
        }
        RuleIdentity r = (RuleIdentity) o;
        return name.equals(r.name) && priority == r.priority && tags.equals(r.tags) && Objects.equals(source, r.source)
                && Objects.equals(description, r.description) && guidance.equals(r.guidance)
                && Objects.equals(bundleVersion, r.bundleVersion) && Objects.equals(version, r.version);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, priority, tags, source, description, guidance, bundleVersion, version);
    }
}

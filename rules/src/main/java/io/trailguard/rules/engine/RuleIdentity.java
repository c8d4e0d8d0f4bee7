package io.trailguard.rules.engine;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Which rule raised an alert: its name, priority, tags and source, what it detects ({@code desc}), the guidance its
 * rule file gives ({@link RuleGuidance}) and the version of the rule bundle it came from (null when unknown, e.g. a
 * local rules directory).
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
    /** This identity's members of the alert line, written on first use by {@link AlertJson} (derived, not state). */
    transient volatile String jsonHead;
    transient volatile String jsonInfo;

    public RuleIdentity(String name, Priority priority, List<String> tags, String source, String description,
                        RuleGuidance guidance, String bundleVersion) {
        this.name = Objects.requireNonNull(name, "rule name");
        this.priority = Objects.requireNonNull(priority, "priority");
        this.tags = List.copyOf(tags);
        this.source = source;
        this.description = description;
        this.guidance = guidance == null ? RuleGuidance.NONE : guidance;
        this.bundleVersion = bundleVersion;
    }

    /** The identity of a compiled rule. */
    public static RuleIdentity of(Rule r, String bundleVersion) {
        return new RuleIdentity(r.name(), r.priority(), r.tags(), r.source(), r.description(), r.guidance(),
                bundleVersion);
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
                && Objects.equals(bundleVersion, r.bundleVersion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, priority, tags, source, description, guidance, bundleVersion);
    }
}

package io.trailguard.job.bundle;

import java.io.Serializable;
import java.util.Objects;

/** One rules file of a {@link RuleBundle}: the name used in diagnostics and the YAML text. */
public final class BundleFile implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String content;

    public BundleFile(String name, String content) {
        this.name = Objects.requireNonNull(name, "name");
        this.content = Objects.requireNonNull(content, "content");
    }

    public String name() {
        return name;
    }

    public String content() {
        return content;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BundleFile)) {
            return false;
        }
        BundleFile that = (BundleFile) o;
        return name.equals(that.name) && content.equals(that.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, content);
    }

    @Override
    public String toString() {
        return name + " (" + content.length() + " chars)";
    }
}

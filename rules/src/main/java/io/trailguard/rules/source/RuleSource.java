package io.trailguard.rules.source;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The text of one rules file and the name used in error messages (its path). */
public final class RuleSource implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final String text;

    public RuleSource(String name, String text) {
        this.name = name;
        this.text = text;
    }

    public static RuleSource of(Path file) throws IOException {
        return new RuleSource(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    }

    public String name() {
        return name;
    }

    public String text() {
        return text;
    }
}

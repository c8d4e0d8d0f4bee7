package io.trailguard.rules.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates ../shared (reference material beside the project); tests that need it skip when it is absent. */
public final class Shared {
    private Shared() {}

    /** The shared directory, or null. */
    public static Path root() {
        for (Path p : new Path[] {Paths.get("..", "shared"), Paths.get("..", "..", "shared")}) {
            if (Files.isDirectory(p.resolve("anchors"))) {
                return p.normalize();
            }
        }
        return null;
    }

    /** A path under ../shared; the calling test is skipped when it does not exist. */
    public static Path require(String relative) {
        Path root = root();
        Assumptions.assumeTrue(root != null, "../shared is not present: skipping");
        Path p = root.resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), p + " is not present: skipping");
        return p;
    }
}

package io.trailguard.job.replay;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Paths;

/** One input of a replay: a file, or a classpath resource (the bundled sample events). */
public final class ReplayInput implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final boolean resource;

    private ReplayInput(String name, boolean resource) {
        this.name = name;
        this.resource = resource;
    }

    public static ReplayInput file(String path) {
        return new ReplayInput(path, false);
    }

    public static ReplayInput resource(String name) {
        return new ReplayInput(name, true);
    }

    /** The path or resource name: the origin of its records and the name whose extension decides the format. */
    public String name() {
        return name;
    }

    InputStream open() throws IOException {
        if (!resource) {
            return Files.newInputStream(Paths.get(name));
        }
        InputStream in = ReplayInput.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new FileNotFoundException("resource " + name + " is not on the classpath");
        }
        return in;
    }

    @Override
    public String toString() {
        return (resource ? "resource:" : "") + name;
    }
}

package io.trailguard.job.replay;

import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.event.InputDocument;
import io.trailguard.rules.event.InputDocuments;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.function.Consumer;

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

    /**
     * This input's documents (or the failure that ended its reading), split by the engine's input reader
     * ({@link InputDocuments}) as they are asked for. Never throws for bad input.
     */
    public Iterator<InputDocument> documents() {
        return new InputDocuments().documents(name, this::open);
    }

    /** The record of a document, a failure keeping what could be read for the excerpt. */
    public static RawRecord record(InputDocument d) {
        return new RawRecord(d.data(), d.origin(), d.failure());
    }

    /** Every document of {@link #documents()} as a record to {@code out}. */
    public void read(Consumer<RawRecord> out) {
        documents().forEachRemaining(d -> out.accept(record(d)));
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

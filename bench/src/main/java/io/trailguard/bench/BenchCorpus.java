package io.trailguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.event.EventSink;
import io.trailguard.rules.event.EventUnwrapper;
import io.trailguard.rules.event.InputFiles;
import io.trailguard.rules.event.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The events benchmarks run on: real CloudTrail records (the Stratus Red Team detonations and the invictus
 * dataset from ../shared/corpora, or any directory given by {@code -Dtrailguard.bench.corpus=PATH}), replicated
 * with fresh event ids to the size asked for; without any of those, records made by {@link SyntheticEvents}.
 */
public final class BenchCorpus {
    private BenchCorpus() {}

    /** Where the records came from, for reports. */
    public static String describe() {
        Path p = source();
        return p == null ? "synthetic (SyntheticEvents, seed 7)" : p.toString();
    }

    /** {@code size} events as JSON bytes, each a raw CloudTrail record with a unique eventID. */
    public static List<byte[]> events(int size) {
        List<ObjectNode> records = records();
        Random random = new Random(42);
        List<byte[]> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            ObjectNode copy = records.get(i % records.size()).deepCopy();
            copy.put("eventID", new UUID(random.nextLong(), random.nextLong()).toString());
            try {
                out.add(Json.mapper().writeValueAsBytes(copy));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    public static List<ObjectNode> records() {
        Path p = source();
        if (p == null) {
            return SyntheticEvents.records(2000, 7);
        }
        List<ObjectNode> out = new ArrayList<>();
        EventSink sink = new EventSink() {
            @Override
            public void event(CloudTrailEvent e) {
                out.add(e.record());
            }

            @Override
            public void deadLetter(DeadLetter d) {
                // benchmarks use only what parses
            }
        };
        InputFiles reader = new InputFiles(new EventUnwrapper());
        try {
            List<Path> dirs = Files.isDirectory(p.resolve("stratus-red-team"))
                    ? List.of(p.resolve("stratus-red-team/detonation-logs"), p.resolve("invictus-ir-aws_dataset/CloudTrail"))
                    : List.of(p);
            for (Path f : InputFiles.list(dirs, w -> { })) {
                reader.read(f, sink);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no CloudTrail records under " + p);
        }
        return out;
    }

    private static Path source() {
        String configured = System.getProperty("trailguard.bench.corpus");
        if (configured != null) {
            return Paths.get(configured);
        }
        for (String base : new String[] {"../shared/corpora", "../../shared/corpora", "shared/corpora"}) {
            Path stratus = Paths.get(base, "stratus-red-team", "detonation-logs");
            Path invictus = Paths.get(base, "invictus-ir-aws_dataset", "CloudTrail");
            if (Files.isDirectory(stratus) && Files.isDirectory(invictus)) {
                return Paths.get(base).normalize();
            }
        }
        return null;
    }

    /** Parses the benchmark bytes the way every implementation starts: Jackson, one tree per event. */
    public static JsonNode parse(byte[] json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.trailguard.bench.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.event.EventSink;
import io.trailguard.rules.event.EventUnwrapper;
import io.trailguard.rules.event.InputFiles;
import io.trailguard.rules.event.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The records of the end-to-end bench: templates (the job's bundled sample events, or the records of input files)
 * replicated into N raw records with fresh eventIDs, event times {@value #EVENT_SPACING_MILLIS} ms apart and source
 * IPs rotated over 256 addresses so that rate rules see many groups.
 */
public final class BenchRecords {
    /** Event-time distance between consecutive generated events. */
    static final long EVENT_SPACING_MILLIS = 10;
    static final long BASE_TIME_MILLIS = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();
    private static final String ID_PREFIX = "00000000-0000-4000-8000-";
    /** Where the job jar keeps its sample events (the no-argument demo replays them). */
    private static final String SAMPLES_DIR = "io/trailguard/job/samples/";

    private BenchRecords() {
    }

    /** The records of the job's bundled sample files. */
    public static List<ObjectNode> sampleRecords() throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        EventUnwrapper unwrapper = new EventUnwrapper();
        EventSink sink = collect(out);
        for (String name : List.of("eventbridge-events.jsonl", "cloudtrail-log-file.json")) {
            try (InputStream in = BenchRecords.class.getClassLoader().getResourceAsStream(SAMPLES_DIR + name)) {
                if (in == null) {
                    throw new IllegalStateException("the sample events are missing from the job jar");
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (name.endsWith(".jsonl")) {
                    for (String line : text.split("\n")) {
                        if (!line.isBlank()) {
                            unwrapper.unwrap(line, name, sink);
                        }
                    }
                } else {
                    unwrapper.unwrap(text, name, sink);
                }
            }
        }
        return out;
    }

    /** The records of the files under {@code paths} (the engine's input-file conventions); what fails is skipped. */
    public static List<ObjectNode> fileRecords(List<Path> paths, Consumer<String> warnings) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        InputFiles reader = new InputFiles(new EventUnwrapper());
        for (Path f : InputFiles.list(paths, warnings)) {
            reader.read(f, collect(out));
        }
        return out;
    }

    /**
     * {@code n} raw records: the templates in turn, each copy with eventID {@code 00000000-0000-4000-8000-<index>},
     * eventTime {@value #EVENT_SPACING_MILLIS} ms after the previous one, and a source IP out of 256.
     */
    public static List<byte[]> generate(List<ObjectNode> templates, int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ObjectNode copy = templates.get(i % templates.size()).deepCopy();
            copy.put("eventID", eventId(i));
            copy.put("eventTime", Instant.ofEpochMilli(BASE_TIME_MILLIS + i * EVENT_SPACING_MILLIS).toString());
            if (copy.has("sourceIPAddress")) {
                copy.put("sourceIPAddress", "198.51.100." + (i / templates.size()) % 256);
            }
            try {
                out.add(Json.mapper().writeValueAsBytes(copy));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static String eventId(int index) {
        return ID_PREFIX + String.format(Locale.ROOT, "%012d", index);
    }

    /** The index of a generated eventID, or -1. */
    static int indexOf(String eventId) {
        if (eventId == null || eventId.length() != ID_PREFIX.length() + 12 || !eventId.startsWith(ID_PREFIX)) {
            return -1;
        }
        try {
            return Integer.parseInt(eventId.substring(ID_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static EventSink collect(List<ObjectNode> out) {
        return new EventSink() {
            @Override
            public void event(CloudTrailEvent e) {
                out.add(e.record());
            }

            @Override
            public void deadLetter(DeadLetter d) {
                // only what parses is replicated
            }
        };
    }
}

package io.trailguard.bench.profile;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a recorded run spent its CPU, from the execution samples of a JFR recording: {@code java -jar
 * bench/target/benchmarks.jar profile FILE.jfr [--thread TEXT] [--top N] [--frame REGEX...]}. Prints the number of
 * samples (of the threads whose name contains {@code --thread}, if given), the {@code --top} (default 20) threads by
 * their share of those samples, the {@code --top} methods by self share (the sample's top frame), and for each {@code --frame} the inclusive share: the samples with a frame
 * {@code class.method} matching the regex anywhere in their stack. Stacks are as deep as the recording kept them
 * ({@code -XX:FlightRecorderOptions:stackdepth=N}, default 64); a frame below a truncated stack is not counted.
 */
public final class ProfileSummary {
    public static final String USAGE = "usage: java -jar bench/target/benchmarks.jar profile FILE.jfr "
            + "[--thread TEXT] [--top N] [--frame REGEX...]";

    private ProfileSummary() {
    }

    /** Prints the summary; 0 done, 2 usage error or unreadable recording. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path file = null;
        String thread = null;
        int top = 20;
        Map<String, Pattern> frames = new LinkedHashMap<>();
        boolean inFrames = false;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (inFrames && !a.startsWith("--")) {
                    frames.put(a, Pattern.compile(a));
                } else if (a.equals("--frame")) {
                    inFrames = true;
                } else if (a.equals("--thread") && i + 1 < args.length) {
                    thread = args[++i];
                    inFrames = false;
                } else if (a.equals("--top") && i + 1 < args.length && args[i + 1].matches("\\d{1,4}")) {
                    top = Integer.parseInt(args[++i]);
                    inFrames = false;
                } else if (file == null && !a.startsWith("--")) {
                    file = Paths.get(a);
                } else {
                    throw new IllegalArgumentException("unexpected argument " + a);
                }
            }
            if (file == null) {
                throw new IllegalArgumentException("a recording file is needed");
            }
        } catch (IllegalArgumentException e) {
            err.println("profile: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (!Files.isRegularFile(file)) {
            err.println("profile: " + file + " is not a file");
            return 2;
        }
        Summary s;
        try {
            s = summarize(file, thread, frames);
        } catch (IOException e) {
            err.println("profile: " + file + " is not a readable JFR recording: " + e.getMessage());
            return 2;
        }
        out.printf(Locale.ROOT, "profile %s: %d execution samples%s%n", file.getFileName(), s.samples,
                thread == null ? "" : " of threads named *" + thread + "*");
        out.println("| thread | share |");
        out.println("|---|---:|");
        top(s.threads, top, s.samples, out);
        out.println("| method (self) | share |");
        out.println("|---|---:|");
        top(s.self, top, s.samples, out);
        if (!frames.isEmpty()) {
            out.println("| frame (inclusive) | share |");
            out.println("|---|---:|");
            for (Map.Entry<String, Integer> e : s.inclusive.entrySet()) {
                out.printf(Locale.ROOT, "| %s | %s |%n", e.getKey(), share(e.getValue(), s.samples));
            }
        }
        return 0;
    }

    private static void top(Map<String, Integer> counts, int top, int samples, PrintStream out) {
        counts.entrySet().stream()
                .sorted((x, y) -> Integer.compare(y.getValue(), x.getValue()))
                .limit(top)
                .forEach(e -> out.printf(Locale.ROOT, "| %s | %s |%n", e.getKey(), share(e.getValue(), samples)));
    }

    private static String share(int n, int of) {
        return of == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * n / of);
    }

    /** Sample counts of one recording. */
    static final class Summary {
        int samples;
        final Map<String, Integer> self = new HashMap<>();
        final Map<String, Integer> threads = new HashMap<>();
        final Map<String, Integer> inclusive = new LinkedHashMap<>();
    }

    static Summary summarize(Path file, String thread, Map<String, Pattern> frames) throws IOException {
        Summary s = new Summary();
        for (String f : frames.keySet()) {
            s.inclusive.put(f, 0);
        }
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedThread t = e.getThread("sampledThread");
                if (thread != null && (t == null || t.getJavaName() == null || !t.getJavaName().contains(thread))) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                s.samples++;
                s.threads.merge(t == null || t.getJavaName() == null ? "(unnamed)" : t.getJavaName(), 1, Integer::sum);
                List<String> methods = new ArrayList<>();
                for (RecordedFrame f : stack.getFrames()) {
                    methods.add(f.getMethod().getType().getName() + "." + f.getMethod().getName());
                }
                s.self.merge(methods.get(0), 1, Integer::sum);
                Set<String> seen = new HashSet<>(methods);
                for (Map.Entry<String, Pattern> p : frames.entrySet()) {
                    for (String m : seen) {
                        if (p.getValue().matcher(m).find()) {
                            s.inclusive.merge(p.getKey(), 1, Integer::sum);
                            break;
                        }
                    }
                }
            }
        }
        return s;
    }
}

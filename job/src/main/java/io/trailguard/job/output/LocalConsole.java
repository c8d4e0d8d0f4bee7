package io.trailguard.job.output;

import java.io.PrintStream;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where "stdout" and "stderr" sinks write. Sinks are serialised into the job, so they cannot hold a
 * {@link PrintStream}; they hold a console id instead. The command line registers its streams (captured ones in tests)
 * and the sinks, running in the same JVM's MiniCluster, look them up. An unknown id (a sink running on a cluster)
 * means the process's own {@link System#out} and {@link System#err}.
 */
public final class LocalConsole {
    /** The id of the process's own streams. */
    public static final String SYSTEM = "system";

    private static final Map<String, PrintStream[]> CONSOLES = new ConcurrentHashMap<>();

    private LocalConsole() {
    }

    /** Registers a pair of streams; returns the id sinks use. */
    public static String register(PrintStream out, PrintStream err) {
        if (out == System.out && err == System.err) {
            return SYSTEM;
        }
        String id = UUID.randomUUID().toString();
        CONSOLES.put(id, new PrintStream[] {out, err});
        return id;
    }

    public static void unregister(String id) {
        CONSOLES.remove(id);
    }

    public static PrintStream out(String id) {
        PrintStream[] s = CONSOLES.get(id);
        return s == null ? System.out : s[0];
    }

    public static PrintStream err(String id) {
        PrintStream[] s = CONSOLES.get(id);
        return s == null ? System.err : s[1];
    }
}

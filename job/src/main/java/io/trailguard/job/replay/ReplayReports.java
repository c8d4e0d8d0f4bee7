package io.trailguard.job.replay;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the sinks of a replay running in this JVM's MiniCluster find their {@link ReplayReport}: sinks are
 * serialised into the job, so they hold the report's id, as console sinks hold a console id.
 */
public final class ReplayReports {
    private static final Map<String, ReplayReport> REPORTS = new ConcurrentHashMap<>();

    private ReplayReports() {
    }

    public static String register(ReplayReport r) {
        String id = UUID.randomUUID().toString();
        REPORTS.put(id, r);
        return id;
    }

    public static void unregister(String id) {
        REPORTS.remove(id);
    }

    /** The report; throws IllegalStateException when none is registered (a sink running outside this JVM). */
    public static ReplayReport get(String id) {
        ReplayReport r = REPORTS.get(id);
        if (r == null) {
            throw new IllegalStateException("no replay report " + id + " in this JVM: replay runs in a local cluster");
        }
        return r;
    }
}

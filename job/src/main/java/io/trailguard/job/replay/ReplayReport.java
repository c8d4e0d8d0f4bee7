package io.trailguard.job.replay;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.IncidentSummary;
import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.DeadLetter;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay found, gathered from whichever executor ran it and printed when it ends: the alerts in
 * {@link ReplayOrder} (an incident once, in its last version: the one with the most members), and a summary in the
 * manner of Falco's end-of-run statistics: alerts by priority and by rule, the incidents with principal and time
 * span, dead letters by reason. Thread-safe: parallel sinks add to one report.
 */
public final class ReplayReport {
    private final List<Alert> alerts = new ArrayList<>();
    private final Map<String, Alert> incidents = new LinkedHashMap<>();
    private final Map<String, Integer> deadLetterReasons = new TreeMap<>();

    public synchronized void add(Alert a) {
        IncidentSummary s = a.incident();
        if (s == null) {
            alerts.add(a);
            return;
        }
        Alert known = incidents.get(s.id());
        if (known == null || known.incident().version() < s.version()) {
            incidents.put(s.id(), a);
        }
    }

    public synchronized void addDeadLetter(DeadLetter d) {
        deadLetterReasons.merge(reasonKind(d.reason()), 1, Integer::sum);
    }

    /** The reason up to its first colon: the kind of problem without the particulars (positions, values). */
    static String reasonKind(String reason) {
        if (reason == null || reason.isBlank()) {
            return "(no reason)";
        }
        int colon = reason.indexOf(": ");
        String kind = colon > 0 ? reason.substring(0, colon) : reason;
        return kind.length() > 100 ? kind.substring(0, 100) + "..." : kind;
    }

    /** Every alert, incidents in their last version, in replay order. */
    public synchronized List<Alert> ordered() {
        List<Alert> all = new ArrayList<>(alerts);
        all.addAll(incidents.values());
        all.sort(ReplayOrder.ALERTS);
        return all;
    }

    /** Prints {@link #ordered()} in {@code format}, one line each. */
    public void printAlerts(PrintStream out, ReplayFormat format) {
        for (Alert a : ordered()) {
            out.println(format == ReplayFormat.TEXT ? AlertText.line(a) : a.toJson());
        }
        out.flush();
    }

    /** The summary lines (without the counts line the runner prints first). */
    public synchronized List<String> summary() {
        List<Alert> all = ordered();
        List<String> lines = new ArrayList<>();
        Map<Priority, Integer> byPriority = new EnumMap<>(Priority.class);
        Map<String, Integer> byRule = new TreeMap<>();
        for (Alert a : all) {
            byPriority.merge(a.rule().priority(), 1, Integer::sum);
            byRule.merge(a.rule().name(), 1, Integer::sum);
        }
        lines.add("Alerts by priority:");
        if (byPriority.isEmpty()) {
            lines.add("   (none)");
        }
        for (Map.Entry<Priority, Integer> e : byPriority.entrySet()) {
            lines.add("   " + e.getKey().display() + ": " + e.getValue());
        }
        lines.add("Alerts by rule:");
        if (byRule.isEmpty()) {
            lines.add("   (none)");
        }
        for (Map.Entry<String, Integer> e : byRule.entrySet()) {
            lines.add("   " + e.getKey() + ": " + e.getValue());
        }
        List<Alert> raised = new ArrayList<>(incidents.values());
        raised.sort(ReplayOrder.ALERTS);
        lines.add("Incidents: " + raised.size());
        for (Alert a : raised) {
            IncidentSummary s = a.incident();
            lines.add("   " + a.rule().priority().display() + " " + s.principal()
                    + (s.sourceAddresses().isEmpty() ? "" : " from " + String.join(", ", s.sourceAddresses()))
                    + ", " + RuleSet.isoTime(s.firstMillis()).substring(0, 19) + "Z.."
                    + RuleSet.isoTime(s.lastMillis()).substring(0, 19) + "Z, " + s.members().size() + " alerts, "
                    + s.tactics().size() + " tactics, " + s.techniques().size() + " techniques (id "
                    + s.id().substring(0, 12) + ")");
        }
        lines.add("Dead letters by reason:");
        if (deadLetterReasons.isEmpty()) {
            lines.add("   (none)");
        }
        for (Map.Entry<String, Integer> e : deadLetterReasons.entrySet()) {
            lines.add("   " + e.getKey() + ": " + e.getValue());
        }
        return lines;
    }
}

package io.trailguard.job.replay;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.IncidentSummary;
import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.DeadLetter;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a replay found, gathered from whichever executor ran it and printed when it ends: the alerts in
 * {@link ReplayOrder} (an incident once, in its last version: the one with the most members), and a summary in the
 * manner of Falco's end-of-run statistics: alerts by priority and by rule, the incidents with principal and time
 * span, dead letters by reason. Thread-safe: parallel sinks add to one report.
 */
public final class ReplayReport {
    static final int PRINT_CHUNK = 2048;

    private final List<Alert> alerts = new ArrayList<>();
    private final Map<String, Alert> incidents = new LinkedHashMap<>();
    private final Map<String, Integer> deadLetterReasons = new TreeMap<>();
    /** {@link #ordered()} until the next alert is added. */
    private List<Alert> ordered;

    public synchronized void add(Alert a) {
        ordered = null;
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

    /** Every alert, incidents in their last version, in replay order (unmodifiable). */
    public synchronized List<Alert> ordered() {
        if (ordered == null) {
            List<Alert> all = new ArrayList<>(alerts);
            all.addAll(incidents.values());
            all.sort(ReplayOrder.ALERTS);
            ordered = Collections.unmodifiableList(all);
        }
        return ordered;
    }

    /**
     * Prints {@link #ordered()} in {@code format}, one line each, as {@code println} of each line would. The lines of
     * {@value #PRINT_CHUNK} alerts at a time are rendered in parallel (a parallel stream: the common pool and this
     * thread) and printed together in order.
     */
    public void printAlerts(PrintStream out, ReplayFormat format) {
        List<Alert> all = ordered();
        String newline = System.lineSeparator();
        Function<Alert, String> line = format == ReplayFormat.TEXT ? AlertText::line : Alert::toJson;
        for (int from = 0; from < all.size(); from += PRINT_CHUNK) {
            out.print(all.subList(from, Math.min(all.size(), from + PRINT_CHUNK)).parallelStream().map(line)
                    .collect(Collectors.joining(newline, "", newline)));
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

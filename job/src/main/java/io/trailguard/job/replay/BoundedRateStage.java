package io.trailguard.job.replay;

import io.trailguard.rules.aggregate.Firing;
import io.trailguard.rules.aggregate.Interner;
import io.trailguard.rules.aggregate.RateWindow;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.aggregate.WindowEntry;
import io.trailguard.rules.aggregate.WindowState;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.engine.RuleSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One rate-rule stage of a bounded replay without a cluster: the bounded mode of the keyed rate-rule operator on
 * plain maps. Signals wait per key ({@link Signal#key()}) until the end of input; then each key's event-time
 * timers fire in time order, as at the final watermark: the signals of one time are counted in event-id order
 * ({@link RateWindow#add}) and the window ends at that time ({@link RateWindow#windowEnd}); the timers
 * {@link RateWindow} asks for are added to the key's queue. Counting, windows, thresholds and alerts are the rule
 * engine's ({@link RateWindow}, {@link WindowState}, {@link RuleSet#onFiring}), the same classes the streaming
 * operator drives; the replay tests compare the two paths' alerts.
 */
final class BoundedRateStage {
    private final RuleSet rules;
    private final Interner interner = new Interner(Interner.DEFAULT_SLOTS);
    /** Per key: the waiting entries by event time. */
    private final Map<String, TreeMap<Long, List<WindowEntry>>> pending = new HashMap<>();
    private long staleSignals;

    BoundedRateStage(RuleSet rules) {
        this.rules = rules;
    }

    /** Takes one signal (counted at the end of input). */
    void add(Signal s) {
        Rule r = rules.rule(s.rule);
        if (r == null || !r.isRateRule() || !r.fingerprint().equals(s.fingerprint)) {
            staleSignals++; // counted under a rule definition that is not the one here
            return;
        }
        pending.computeIfAbsent(s.key(), k -> new TreeMap<>())
                .computeIfAbsent(s.time, t -> new ArrayList<>(1))
                .add(WindowEntry.of(s, interner));
    }

    long staleSignals() {
        return staleSignals;
    }

    /**
     * The end of input: counts every key's signals and ends their windows; alerts go to {@code alerts}, signals for
     * the rules chained on the firing ones to {@code chained} (the next stage's input).
     */
    void finish(Consumer<Alert> alerts, Consumer<Signal> chained) {
        for (Map.Entry<String, TreeMap<Long, List<WindowEntry>>> k : pending.entrySet()) {
            finishKey(k.getKey(), k.getValue(), alerts, chained);
        }
        pending.clear();
    }

    private void finishKey(String key, TreeMap<Long, List<WindowEntry>> due, Consumer<Alert> alerts,
                           Consumer<Signal> chained) {
        Rule r = rules.ruleOfKey(key);
        if (r == null || !r.isRateRule()) {
            return;
        }
        String[] group = Signal.groupOf(key);
        TreeSet<Long> timers = new TreeSet<>(due.keySet());
        WindowState ws = null;
        Long time;
        while ((time = timers.pollFirst()) != null) {
            List<WindowEntry> at = due.remove(time);
            if (at != null) {
                // same event time: a fixed order (event id), so the alerts do not depend on arrival order
                at.sort(WindowEntry.BY_EVENT_ID);
                for (WindowEntry e : at) {
                    if (ws == null || !ws.countedUnder(r.fingerprint())) {
                        ws = WindowState.forRule(r.fingerprint());
                    }
                    emit(r, group, RateWindow.add(ws, r.aggregate(), e), timers, alerts, chained);
                }
            }
            if (ws == null) {
                continue;
            }
            RateWindow.Update u = RateWindow.windowEnd(ws, r.aggregate(), time);
            emit(r, group, u, timers, alerts, chained);
            if (ws.isEmpty()) {
                ws = null;
            }
        }
    }

    private void emit(Rule r, String[] group, RateWindow.Update u, TreeSet<Long> timers, Consumer<Alert> alerts,
                      Consumer<Signal> chained) {
        if (u.timer != WindowState.NONE) {
            timers.add(u.timer);
        }
        if (u.firings.isEmpty()) {
            return;
        }
        List<Alert> raised = new ArrayList<>(1);
        List<Signal> next = new ArrayList<>(0);
        for (Firing f : u.firings) {
            rules.onFiring(r, group, f, raised, next);
        }
        raised.forEach(alerts);
        next.forEach(chained);
    }
}

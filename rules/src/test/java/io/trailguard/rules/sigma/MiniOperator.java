package io.trailguard.rules.sigma;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trailguard.rules.aggregate.Firing;
import io.trailguard.rules.aggregate.RateWindow;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.aggregate.WindowEntry;
import io.trailguard.rules.aggregate.WindowState;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.field.EvaluationContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the keyed Flink operator does, in plain Java for tests: signals keyed by {@link Signal#key()} into
 * {@link WindowState}s, {@link RateWindow#add}, event-time timers fired by {@link #advanceTo} (the watermark),
 * and each firing through {@link RuleSet#onFiring} (chained signals go through the same keyed logic again).
 * Its whole state (windows and pending timers) can be snapshotted as JSON and restored.
 */
final class MiniOperator {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** A pending event-time timer of one key. A POJO for snapshots. */
    public static final class Timer {
        public long time;
        public String key;
        public String rule;
        public String[] group;

        public Timer() {}

        Timer(long time, String key, String rule, String[] group) {
            this.time = time;
            this.key = key;
            this.rule = rule;
            this.group = group;
        }
    }

    /** Operator state (what Flink would checkpoint). */
    public static final class State {
        public Map<String, WindowState> windows = new TreeMap<>();
        public List<Timer> timers = new ArrayList<>();
    }

    final RuleSet rules;
    final EvaluationContext ctx;
    State state = new State();
    final List<Alert> alerts = new ArrayList<>();
    final List<Signal> chainedSignals = new ArrayList<>();

    MiniOperator(RuleSet rules) {
        this.rules = rules;
        this.ctx = rules.newContext();
    }

    MiniOperator event(CloudTrailEvent e) {
        List<Signal> signals = new ArrayList<>();
        alerts.addAll(rules.evaluate(e, ctx, signals));
        for (Signal s : signals) {
            signal(s);
        }
        return this;
    }

    void signal(Signal s) {
        Rule r = rules.rule(s.rule);
        WindowState st = state.windows.computeIfAbsent(s.key(), k -> WindowState.forRule(s.fingerprint));
        RateWindow.Update u = RateWindow.add(st, r.aggregate(), WindowEntry.of(s));
        if (u.timer != WindowState.NONE) {
            state.timers.add(new Timer(u.timer, s.key(), s.rule, s.group));
        }
        for (Firing f : u.firings) {
            fire(r, s.group, f);
        }
    }

    private void fire(Rule r, String[] group, Firing f) {
        List<Signal> chained = new ArrayList<>();
        rules.onFiring(r, group, f, alerts, chained);
        chainedSignals.addAll(chained);
        for (Signal c : chained) {
            signal(c);
        }
    }

    /** The watermark reached {@code time}: fires due timers in time order. */
    MiniOperator advanceTo(long time) {
        while (true) {
            Timer next = null;
            for (Timer t : state.timers) {
                if (t.time <= time && (next == null || t.time < next.time)) {
                    next = t;
                }
            }
            if (next == null) {
                return this;
            }
            state.timers.remove(next);
            Rule r = rules.rule(next.rule);
            RateWindow.Update u = RateWindow.windowEnd(state.windows.get(next.key), r.aggregate(), next.time);
            if (u.timer != WindowState.NONE) {
                state.timers.add(new Timer(u.timer, next.key, next.rule, next.group));
            }
            for (Firing f : u.firings) {
                fire(r, next.group, f);
            }
        }
    }

    String snapshot() {
        try {
            return MAPPER.writeValueAsString(state);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static MiniOperator restore(RuleSet rules, String snapshot) {
        MiniOperator op = new MiniOperator(rules);
        try {
            op.state = MAPPER.readValue(snapshot, new TypeReference<State>() { });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return op;
    }

    List<String> firedRules() {
        List<String> out = new ArrayList<>();
        for (Alert a : alerts) {
            out.add(a.rule().name());
        }
        return out;
    }
}

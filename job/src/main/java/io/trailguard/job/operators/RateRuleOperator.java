package io.trailguard.job.operators;

import io.trailguard.rules.aggregate.Firing;
import io.trailguard.job.bundle.ActiveRules;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.metrics.Counters;
import io.trailguard.job.serde.RestoredKeys;
import io.trailguard.rules.aggregate.Interner;
import io.trailguard.rules.aggregate.RateWindow;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.aggregate.StoredWindow;
import io.trailguard.rules.aggregate.WindowEntry;
import io.trailguard.rules.aggregate.WindowState;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.runtime.state.KeyedStateFunction;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The keyed, event-time operator of rate rules (Falco-dialect {@code aggregate:} rules and Sigma correlations),
 * keyed by {@link Signal#key()} = (rule tag, group values). Per key it keeps one {@link WindowState} (stored in the
 * single-entry form of {@link StoredWindow} when it holds one entry and nothing else) and drives the
 * plain-Java {@link RateWindow} logic: sliding windows anchored on events, thresholds decided on arrival
 * (gt/gte/eq/neq) or at the window's end on an event-time timer (lt/lte), one alert per burst.
 *
 * <p>Two modes. <b>Streaming</b>: a signal is counted when it arrives (alerts within seconds); signals later than
 * the watermark minus the allowed lateness are dead-lettered as late, never silently dropped; a cleanup timer (one
 * per key, for its oldest entry) evicts entries no window can still need and clears idle keys, so state is bounded
 * by active groups. <b>Bounded</b> (replay): signals wait in keyed state until the final watermark and are then
 * counted in event-time order, so a replay gives the same alerts whatever order its files and events come in.
 *
 * <p>Rules come from the same broadcast bundles as the evaluator. When a bundle changes or removes a rate rule,
 * that rule's state is discarded (its fingerprint changed); unchanged rules keep their state. Firings of rules that
 * other rules are chained on (Sigma chained correlations) leave on {@link RateDescriptors#CHAINED}, for the next
 * stage; so do, unchanged, the signals of rules that a later stage counts ({@link RuleSet#stage}).
 */
public final class RateRuleOperator extends KeyedBroadcastProcessFunction<String, Signal, RuleBundle, Alert> {
    /**
     * Cleanup timers are rounded up to this granularity, so the keys whose oldest entries fall in the same second
     * fire together; a key holds one cleanup timer at a time (for its oldest entry) whatever its number of entries.
     */
    static final long CLEANUP_GRANULARITY_MILLIS = 1000;

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RateRuleOperator.class);

    private final ActiveRules rules;
    private final boolean bounded;
    private final long allowedLatenessMillis;
    private final int stage;

    /** The stored forms of {@link StoredWindow}: opened to count, stored back after. */
    private transient ValueState<Object> windows;
    private transient MapState<Long, List<WindowEntry>> pending;
    private transient Counters.Both lateSignals;
    private transient Counters.Both staleSignals;
    /** Shares repeated strings between the entries of this instance's states. */
    private transient Interner interner;

    /**
     * @param rules                 the start-up bundle and the acceptance of bundles, as the evaluator's: the two
     *                              must accept the same bundles
     * @param bounded               replay: count signals in event-time order at the final watermark
     * @param allowedLatenessMillis streaming: how far behind the watermark a signal may still be counted
     * @param stage                 1 for signals of events, 2.. for chained correlations
     */
    public RateRuleOperator(ActiveRules rules, boolean bounded, long allowedLatenessMillis, int stage) {
        this.rules = rules;
        this.bounded = bounded;
        this.allowedLatenessMillis = allowedLatenessMillis;
        this.stage = stage;
    }

    @Override
    public void open(OpenContext openContext) {
        rules.start();
        windows = getRuntimeContext().getState(RateDescriptors.WINDOWS);
        pending = getRuntimeContext().getMapState(RateDescriptors.PENDING);
        lateSignals = Counters.register(getRuntimeContext(), Counters.LATE_SIGNALS);
        staleSignals = Counters.register(getRuntimeContext(), Counters.STALE_SIGNALS);
        interner = new Interner(Interner.DEFAULT_SLOTS);
        // the state backend has restored (if at all) on this thread: its keys no longer need sharing
        RestoredKeys.finished();
    }

    @Override
    public void processElement(Signal s, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        BroadcastRules.follow(rules, ctx.getBroadcastState(Descriptors.RULES));
        Rule r = rules.ruleSet().rule(s.rule);
        if (r == null || !r.isRateRule() || !r.fingerprint().equals(s.fingerprint)) {
            staleSignals.inc(); // counted under a rule definition that is not active here (a bundle switch in flight)
            return;
        }
        if (rules.ruleSet().stage(r) > stage) {
            // a rule chained on rules of this stage (a Sigma correlation over a correlation and a plain rule):
            // its event signals are counted where its chained signals are, in a later stage
            ctx.output(RateDescriptors.CHAINED, s);
            return;
        }
        WindowEntry entry = WindowEntry.of(s, interner);
        if (bounded) {
            List<WindowEntry> at = pending.get(s.time);
            if (at == null) {
                at = new ArrayList<>(1);
            }
            at.add(entry);
            pending.put(s.time, at);
            ctx.timerService().registerEventTimeTimer(s.time);
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        if (watermark != Long.MIN_VALUE && s.time < watermark - allowedLatenessMillis) {
            lateSignals.inc();
            ctx.output(Descriptors.DEAD_LETTERS, DeadLetter.of("rate:" + s.rule, "late event for rate rule '"
                    + s.rule + "': event time " + RuleSet.isoTime(s.time) + " is more than "
                    + allowedLatenessMillis / 1000 + " s behind the watermark " + RuleSet.isoTime(watermark),
                    "eventID " + s.eventId));
            return;
        }
        count(r, s.group, entry, ctx.timerService(), out, ctx);
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        BroadcastRules.follow(rules, ctx.getBroadcastState(Descriptors.RULES));
        Rule r = rules.ruleSet().ruleOfKey(ctx.getCurrentKey());
        WindowState ws = StoredWindow.open(windows.value());
        List<WindowEntry> due = bounded ? pending.get(time) : null;
        if (r == null || !r.isRateRule()) {
            windows.clear();
            pending.clear();
            return;
        }
        if (due != null) {
            pending.remove(time);
            // same event time: a fixed order (event id), so a replay's alerts do not depend on arrival order
            due.sort(WindowEntry.BY_EVENT_ID);
            String[] group = Signal.groupOf(ctx.getCurrentKey());
            for (WindowEntry e : due) {
                count(r, group, e, ctx.timerService(), out, ctx);
                ws = StoredWindow.open(windows.value());
            }
        }
        if (ws == null) {
            return;
        }
        if (!ws.countedUnder(r.fingerprint())) {
            windows.clear();
            return;
        }
        RateWindow.Update u = RateWindow.windowEnd(ws, r.aggregate(), time);
        // the group (for the alert) only when something fired: most timers are cleanup timers
        emit(r, u.firings.isEmpty() ? null : Signal.groupOf(ctx.getCurrentKey()), u, ctx.timerService(), out,
                ctx);
        long horizon = ctx.timerService().currentWatermark() - allowedLatenessMillis - r.aggregate().timespanMillis();
        if (!bounded) {
            RateWindow.evictThrough(ws, r.aggregate(), horizon);
        }
        if (ws.isEmpty()) {
            windows.clear();
            return;
        }
        windows.update(StoredWindow.of(ws));
        if (!bounded && ws.size > 0) {
            // the next cleanup is that of the oldest entry left. Its time has not passed unless an open "too few"
            // window holds the entry; that window's end timer is pending and cleans up after it
            long next = cleanupTime(ws.entry(0), r);
            if (next > ctx.timerService().currentWatermark()) {
                ctx.timerService().registerEventTimeTimer(next);
            }
        }
    }

    /**
     * Counts one entry into its group's window and raises what fires; {@code group} is the group of the current key
     * (the entry's output values may refer to it).
     */
    private void count(Rule r, String[] group, WindowEntry entry, TimerService timers,
                       Collector<Alert> out, ReadOnlyContext ctx) throws Exception {
        WindowState ws = StoredWindow.open(windows.value());
        if (ws == null || !ws.countedUnder(r.fingerprint())) {
            ws = WindowState.forRule(r.fingerprint());
        }
        RateWindow.Update u = RateWindow.add(ws, r.aggregate(), entry);
        emit(r, group, u, timers, out, ctx);
        if (!bounded && ws.size > 0 && ws.entry(0) == entry) {
            // one cleanup timer per key, for its oldest entry: a newer entry waits for the timer of the oldest, which
            // evicts what has expired and sets the timer of the oldest entry left (onTimer). Only an entry that
            // becomes the oldest (the first of a key, or a late one) sets a timer of its own
            timers.registerEventTimeTimer(cleanupTime(entry, r));
        }
        windows.update(StoredWindow.of(ws));
    }

    /**
     * When the watermark passes this, no window that can still count an event (one at or after the watermark minus
     * the allowed lateness) reaches back to {@code e}: its time + timespan + allowed lateness + 1, rounded up to
     * whole seconds.
     */
    private long cleanupTime(WindowEntry e, Rule r) {
        return cleanupTime(e.time + r.aggregate().timespanMillis() + allowedLatenessMillis + 1);
    }

    /** {@code earliest} rounded up to the next {@link #CLEANUP_GRANULARITY_MILLIS} (Flink keeps one timer per time). */
    static long cleanupTime(long earliest) {
        long rest = Math.floorMod(earliest, CLEANUP_GRANULARITY_MILLIS);
        return rest == 0 ? earliest : earliest + (CLEANUP_GRANULARITY_MILLIS - rest);
    }

    private void emit(Rule r, String[] group, RateWindow.Update u, TimerService timers,
                      Collector<Alert> out, ReadOnlyContext ctx) {
        if (u.timer != WindowState.NONE) {
            timers.registerEventTimeTimer(u.timer);
        }
        if (u.firings.isEmpty()) {
            return;
        }
        List<Alert> alerts = new ArrayList<>(1);
        List<Signal> chained = new ArrayList<>(0);
        for (Firing f : u.firings) {
            rules.ruleSet().onFiring(r, group, f, alerts, chained);
        }
        for (Alert a : alerts) {
            out.collect(a);
        }
        for (Signal s : chained) {
            ctx.output(RateDescriptors.CHAINED, s);
        }
    }

    @Override
    public void processBroadcastElement(RuleBundle bundle, Context ctx, Collector<Alert> out) throws Exception {
        ActiveRules.Offer offer = BroadcastRules.offer(rules, bundle, ctx.getBroadcastState(Descriptors.RULES));
        if (offer.outcome() != ActiveRules.Outcome.ACCEPTED) {
            return; // the evaluator reports skipped and rejected bundles; the active rules stay
        }
        final RuleSet next = rules.ruleSet();
        final int[] discarded = {0};
        ctx.applyToKeyedState(RateDescriptors.WINDOWS, new KeyedStateFunction<String, ValueState<Object>>() {
            @Override
            public void process(String key, ValueState<Object> s) throws Exception {
                Object ws = s.value();
                Rule r = next.ruleOfKey(key);
                if (ws != null && (r == null || !r.isRateRule() || !StoredWindow.countedUnder(ws, r.fingerprint()))) {
                    s.clear();
                    discarded[0]++;
                }
            }
        });
        if (discarded[0] > 0) {
            LOG.info("rate stage {}: bundle {} changed or removed rate rules; discarded {} group states", stage,
                    bundle.version(), discarded[0]);
        }
    }
}

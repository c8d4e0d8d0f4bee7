package io.trailguard.job.operators;

import io.trailguard.job.bundle.ActiveRules;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.IncidentSummary;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.incident.Evidence;
import io.trailguard.rules.incident.IncidentAlerts;
import io.trailguard.rules.incident.IncidentSequence;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * The keyed, event-time incident stage: alerts of every rule (as {@link Evidence}), keyed by their acting principal
 * ({@link io.trailguard.rules.incident.Actor#key()}), grow one {@link IncidentSequence} per principal; when its
 * evidence crosses the policy's thresholds it is raised as an incident alert, and every later member raises the
 * next version of the same incident (same id: outputs update it in place). A sequence ends, and its state is
 * cleared, when the principal is quiet for the policy's inactivity gap.
 *
 * <p>In both modes evidence waits in keyed state until the watermark passes its time and is then counted in
 * event-time order ({@link Evidence#ORDER} within one time), so an incident's id, members and versions do not depend
 * on the order alerts arrive in: a backlog read from two shards gives replay's incidents. The price is latency: on a
 * live stream an incident comes out when event time passes its newest member, about {@code out_of_orderness} after
 * it (the member alerts themselves are not delayed). <b>Streaming</b>: evidence whose timestamp is more than the
 * allowed lateness behind the watermark is dead-lettered as late, never silently dropped; a sequence is kept until
 * the watermark passes its end plus the allowed lateness. <b>Bounded</b> (replay): the final watermark counts
 * everything at the end of input.
 *
 * <p>The policy ({@link io.trailguard.rules.incident.IncidentPolicy}: gap, thresholds, which rules count) comes
 * from the active rule bundle ({@link ActiveRules}, the same accept/reject protocol as the evaluator's and the
 * rate stages'): the start-up bundle, replaced by every bundle the broadcast control input brings that passes. Open
 * sequences keep their members across a reload; the new policy decides from the next alert on.
 */
public final class IncidentOperator extends KeyedBroadcastProcessFunction<String, Evidence, RuleBundle, Alert> {
    /** Cleanup timers are rounded up to this granularity (one timer per principal and second at most). */
    static final long CLEANUP_GRANULARITY_MILLIS = 1000;

    private static final long serialVersionUID = 1L;

    private final ActiveRules rules;
    private final boolean bounded;
    private final long allowedLatenessMillis;

    private transient ValueState<IncidentSequence> sequences;
    private transient MapState<Long, List<Evidence>> pending;

    /**
     * @param rules                 the evaluator's protocol (its own copy): the stages must accept the same bundles
     * @param bounded               replay: count evidence in event-time order at the final watermark
     * @param allowedLatenessMillis streaming: how far behind the watermark an alert may still join a sequence
     */
    public IncidentOperator(ActiveRules rules, boolean bounded, long allowedLatenessMillis) {
        this.rules = rules;
        this.bounded = bounded;
        this.allowedLatenessMillis = allowedLatenessMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        rules.start();
        sequences = getRuntimeContext().getState(IncidentDescriptors.SEQUENCE);
        pending = getRuntimeContext().getMapState(IncidentDescriptors.PENDING);
    }

    @Override
    public void processElement(Evidence e, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        BroadcastRules.follow(rules, ctx.getBroadcastState(Descriptors.RULES));
        if (!rules.incidentPolicy().counts(e.rule(), e.priority(), e.tactics())) {
            return;
        }
        if (!bounded) {
            long watermark = ctx.timerService().currentWatermark();
            // the record's timestamp, not the alert's time: a rate alert fired at its window's end carries the end
            long at = ctx.timestamp() == null ? e.timeMillis() : ctx.timestamp();
            if (watermark != Long.MIN_VALUE && at < watermark - allowedLatenessMillis) {
                ctx.output(Descriptors.DEAD_LETTERS, DeadLetter.of("incident:" + e.key(), "late alert for the "
                        + "incident stage: rule '" + e.rule() + "' at " + RuleSet.isoTime(at) + " is more than "
                        + allowedLatenessMillis / 1000 + " s behind the watermark " + RuleSet.isoTime(watermark),
                        "eventID " + e.eventId()));
                return;
            }
        }
        // Alerts are counted in event-time order once the watermark has passed them, in replay and streaming
        // alike: alerts reach this stage out of order (shards read at different paces, rate alerts at their
        // window's end), and an incident's id, members and versions must not depend on arrival order.
        List<Evidence> at = pending.get(e.timeMillis());
        if (at == null) {
            at = new ArrayList<>(1);
        }
        at.add(e);
        pending.put(e.timeMillis(), at);
        ctx.timerService().registerEventTimeTimer(e.timeMillis());
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        BroadcastRules.follow(rules, ctx.getBroadcastState(Descriptors.RULES));
        List<Evidence> due = pending.get(time);
        if (due != null) {
            pending.remove(time);
            due.sort(Evidence.ORDER);
            for (Evidence e : due) {
                accept(e, ctx.timerService(), out);
            }
        }
        if (bounded) {
            return;
        }
        IncidentSequence s = sequences.value();
        if (s != null && s.endMillis(rules.incidentPolicy()) + allowedLatenessMillis < time) {
            sequences.clear(); // ended: no alert within the lateness can still join it
        }
    }

    private void accept(Evidence e, TimerService timers, Collector<Alert> out) throws Exception {
        IncidentSequence s = sequences.value();
        if (s == null || s.endedBefore(e, rules.incidentPolicy())) {
            s = IncidentSequence.startedBy(e);
        }
        IncidentSummary raised = s.add(e, rules.incidentPolicy());
        sequences.update(s);
        if (!bounded) {
            timers.registerEventTimeTimer(cleanupTime(s.endMillis(rules.incidentPolicy()) + allowedLatenessMillis + 1));
        }
        if (raised != null) {
            out.collect(IncidentAlerts.alert(s, raised));
        }
    }

    /** {@code earliest} rounded up to the next {@link #CLEANUP_GRANULARITY_MILLIS}. */
    static long cleanupTime(long earliest) {
        long rest = Math.floorMod(earliest, CLEANUP_GRANULARITY_MILLIS);
        return rest == 0 ? earliest : earliest + (CLEANUP_GRANULARITY_MILLIS - rest);
    }

    @Override
    public void processBroadcastElement(RuleBundle bundle, Context ctx, Collector<Alert> out) throws Exception {
        ActiveRules.Offer offer = BroadcastRules.offer(rules, bundle, ctx.getBroadcastState(Descriptors.RULES));
        if (offer.outcome() != ActiveRules.Outcome.ACCEPTED) {
            return; // the evaluator reports skipped and rejected bundles; the active policy stays
        }
    }
}

package io.trailguard.rules.engine;

import io.trailguard.rules.aggregate.AggregateInput;
import io.trailguard.rules.aggregate.AggregateSpec;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.field.EvaluationContext;
import io.trailguard.rules.field.FieldRef;
import io.trailguard.rules.output.OutputFormat;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The {@link Signal}s an event gives the rate rules whose conditions select it: its group, its measured value and
 * the output values the rule's alert will need, rendered as text.
 */
final class RateSignals {
    private RateSignals() {}

    /** The signal of a rate rule without inputs whose condition matched; null when its group or value is absent. */
    static Signal signal(Rule r, EvaluationContext ctx) {
        AggregateSpec spec = r.aggregate();
        String[] group = new String[spec.groupBy().size()];
        for (int i = 0; i < group.length; i++) {
            Object v = ctx.value(spec.groupBy().get(i));
            if (v == null) {
                return null;
            }
            group[i] = OutputFormat.render(v);
        }
        String value = null;
        if (spec.valueField() != null) {
            Object v = ctx.value(spec.valueField());
            if (v == null) {
                return null;
            }
            value = OutputFormat.render(v);
        }
        return eventSignal(r, ctx, group, value);
    }

    /** The signals of a rate rule with inputs: one per matching event input (see {@link RuleSet#evaluate}). */
    static void inputSignals(Rule r, EvaluationContext ctx, List<Signal> signals) {
        AggregateSpec spec = r.aggregate();
        boolean temporal = spec.type().isTemporal();
        int from = signals.size();
        for (AggregateInput in : spec.inputs()) {
            if (in.isChained() || !in.condition().test(ctx)) {
                continue;
            }
            String[] group = new String[in.groupBy().size()];
            boolean complete = true;
            for (int i = 0; i < group.length && complete; i++) {
                Object v = ctx.value(in.groupBy().get(i));
                complete = v != null;
                group[i] = complete ? OutputFormat.render(v) : null;
            }
            if (!complete) {
                continue;
            }
            String value = null;
            if (temporal) {
                value = in.step();
            } else if (in.valueField() != null) {
                Object v = ctx.value(in.valueField());
                if (v == null) {
                    continue;
                }
                value = OutputFormat.render(v);
            }
            boolean duplicate = false;
            for (int i = from; i < signals.size() && !temporal && !duplicate; i++) {
                Signal o = signals.get(i);
                duplicate = Arrays.equals(o.group, group) && Objects.equals(o.value, value);
            }
            if (duplicate) {
                continue;
            }
            signals.add(eventSignal(r, ctx, group, value));
        }
    }

    private static Signal eventSignal(Rule r, EvaluationContext ctx, String[] group, String value) {
        List<FieldRef> fields = r.signalFields();
        String[] outputs = new String[fields.size()];
        for (int i = 0; i < outputs.length; i++) {
            Object v = ctx.value(fields.get(i));
            outputs[i] = v == null ? null : OutputFormat.render(v);
        }
        CloudTrailEvent e = ctx.event();
        long time = e.hasTime() ? e.timeMillis() : System.currentTimeMillis();
        return new Signal(r.name(), r.fingerprint(), group, time, e.eventId(), value, outputs, e.account(), e.region());
    }
}

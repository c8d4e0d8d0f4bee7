package io.trailguard.bench.e2e;

import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.event.EventSink;
import io.trailguard.rules.event.EventUnwrapper;
import io.trailguard.rules.field.EvaluationContext;

import java.util.ArrayList;
import java.util.List;

/** The yardstick of the end-to-end bench: unwrap, evaluate with signals and render each alert as JSON, one thread. */
final class EngineAlone {
    static final class Result {
        double seconds;
        /** From the start of the record at the middle of the run to the end. */
        double secondHalfSeconds;
        long alerts;
        long signals;
        long blackhole;
    }

    private EngineAlone() {
    }

    static Result run(List<byte[]> records, RuleSet rules) {
        EvaluationContext ctx = rules.newContext();
        EventUnwrapper unwrapper = new EventUnwrapper();
        List<CloudTrailEvent> events = new ArrayList<>(1);
        EventSink sink = new EventSink() {
            @Override
            public void event(CloudTrailEvent e) {
                events.add(e);
            }

            @Override
            public void deadLetter(DeadLetter d) {
            }
        };
        List<Signal> signals = new ArrayList<>();
        Result r = new Result();
        long t0 = System.nanoTime();
        long half = t0;
        for (int i = 0; i < records.size(); i++) {
            if (i == records.size() / 2) {
                half = System.nanoTime();
            }
            events.clear();
            unwrapper.unwrap(records.get(i), "bench", sink);
            for (CloudTrailEvent e : events) {
                signals.clear();
                for (Alert a : rules.evaluate(e, ctx, signals)) {
                    r.blackhole += a.toJson().length();
                    r.alerts++;
                }
                r.signals += signals.size();
            }
        }
        long end = System.nanoTime();
        r.seconds = (end - t0) / 1e9;
        r.secondHalfSeconds = (end - half) / 1e9;
        return r;
    }
}

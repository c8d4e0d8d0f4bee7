package io.trailguard.bench;

import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.field.EvaluationContext;
import io.trailguard.rules.engine.Rule;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.event.EventSink;
import io.trailguard.rules.event.EventUnwrapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Single-thread engine throughput, in events per second, four ways measured in one run:
 * {@code parse} (Jackson alone: the floor for any JSON rule engine), {@code engine} (unwrap + evaluate the
 * full rule set + format and serialise alerts), {@code naive} (the same rule sources evaluated the obvious way:
 * Jayway JsonPath parse once, then every rule, each check reading its field with JsonPath; see {@link NaiveEngine}
 * for which Falco and Sigma rules it evaluates), {@code competent} (the same tree and compiled predicates without
 * index or shared field cache, see {@link Competent}) and {@code scaling} (the engine with 10 to 10,000 generated
 * rules).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class EngineBenchmark {

    /** Events, shared by all benchmarks of a run. */
    @State(Scope.Benchmark)
    public static class Corpus {
        @Param("20000")
        public int events;
        public List<byte[]> data;

        @Setup(Level.Trial)
        public void load() {
            data = BenchCorpus.events(events);
        }
    }

    /** The evaluation side: one context per thread, like a Flink subtask. */
    @State(Scope.Thread)
    public static class Engine {
        RuleSet rules;
        EvaluationContext ctx;
        final EventUnwrapper unwrapper = new EventUnwrapper();
        final Sink sink = new Sink();
        int next;

        @Setup(Level.Trial)
        public void load() {
            rules = RuleSets.full();
            ctx = rules.newContext();
        }
    }

    /**
     * The competent no-index baseline: the same Jackson tree and the engine's compiled predicates, but every rule on
     * every event (no eventName index) and no field cache shared across rules (the context is reset before each
     * rule, so each rule extracts its own fields). Rate rules' conditions are evaluated as the engine evaluates them
     * for signals; single-event rules that match alert with the engine's alert JSON.
     */
    @State(Scope.Thread)
    public static class Competent {
        RuleSet rules;
        Rule[] all;
        EvaluationContext ctx;
        final EventUnwrapper unwrapper = new EventUnwrapper();
        final Sink sink = new Sink();
        int next;

        @Setup(Level.Trial)
        public void load() {
            rules = RuleSets.full();
            all = rules.rules().toArray(new Rule[0]);
            ctx = rules.newContext();
        }
    }

    /**
     * The engine over a generated rule set of {@code rules} rules; {@code mix} {@code absent}: beyond the first ten,
     * rules watch event names the traffic does not have; {@code realistic}: every rule watches a name of the traffic,
     * a share with contains/regex on request fields (see {@link ScaledRules#generate(int, List, boolean)}).
     */
    @State(Scope.Thread)
    public static class Scaled {
        @Param({"10", "100", "1000", "10000"})
        public int rules;
        @Param({"absent", "realistic"})
        public String mix;
        RuleSet ruleSet;
        EvaluationContext ctx;
        final EventUnwrapper unwrapper = new EventUnwrapper();
        final Sink sink = new Sink();
        int next;

        @Setup(Level.Trial)
        public void load() {
            ruleSet = RuleSets.of(ScaledRules.generate(rules, ScaledRules.eventNames(BenchCorpus.records()),
                    mix.equals("realistic")));
            ctx = ruleSet.newContext();
            System.err.println("scaling: " + rules + " rules, " + mix + ": " + alertVolume(ruleSet));
        }
    }

    @State(Scope.Thread)
    public static class Naive {
        NaiveEngine naive;
        int next;

        @Setup(Level.Trial)
        public void load() {
            naive = new NaiveEngine(RuleSets.fullSources());
            System.err.printf("naive: %d rules evaluated (%d Falco, %d Sigma); skipped: %s%n", naive.ruleCount(),
                    naive.falcoRuleCount(), naive.sigmaRuleCount(), naive.skipReasons());
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    /** Collects what one unwrap produced (always one event for benchmark records). */
    static final class Sink implements EventSink {
        final List<CloudTrailEvent> events = new ArrayList<>(1);
        final List<Signal> signals = new ArrayList<>();

        @Override
        public void event(CloudTrailEvent e) {
            events.add(e);
        }

        @Override
        public void deadLetter(DeadLetter d) {
            throw new IllegalStateException("benchmark corpus record rejected: " + d.reason());
        }
    }

    @Benchmark
    public Object parse(Corpus c, Cursor cur) {
        byte[] e = c.data.get(cur.next++ % c.data.size());
        return BenchCorpus.parse(e);
    }

    @Benchmark
    public void engine(Corpus c, Engine en, Blackhole bh) {
        evaluate(c.data.get(en.next++ % c.data.size()), en.unwrapper, en.sink, en.rules, en.ctx, bh);
    }

    @Benchmark
    public int naive(Corpus c, Naive n) {
        return n.naive.evaluate(c.data.get(n.next++ % c.data.size()));
    }

    @Benchmark
    public int competent(Corpus c, Competent k, Blackhole bh) {
        return competent(c.data.get(k.next++ % c.data.size()), k, bh);
    }

    /** The competent baseline on one record: every rule, each with a fresh field cache. */
    static int competent(byte[] json, Competent k, Blackhole bh) {
        k.sink.events.clear();
        k.unwrapper.unwrap(json, "bench", k.sink);
        int alerts = 0;
        for (CloudTrailEvent e : k.sink.events) {
            for (Rule r : k.all) {
                k.ctx.reset(e);
                if (r.matches(k.ctx) && !r.isRateRule()) {
                    bh.consume(k.rules.alert(r, k.ctx).toJson());
                    alerts++;
                }
            }
        }
        return alerts;
    }

    @Benchmark
    public void scaling(Corpus c, Scaled s, Blackhole bh) {
        evaluate(c.data.get(s.next++ % c.data.size()), s.unwrapper, s.sink, s.ruleSet, s.ctx, bh);
    }

    /**
     * What the rule set makes of one pass over the corpus records: alerts per event and the characters of their JSON
     * lines per event, against the input bytes per event (the work that scales with matches, not with rules).
     */
    static String alertVolume(RuleSet rules) {
        EvaluationContext ctx = rules.newContext();
        EventUnwrapper unwrapper = new EventUnwrapper();
        Sink sink = new Sink();
        long events = 0;
        long alerts = 0;
        long chars = 0;
        long bytes = 0;
        for (byte[] json : BenchCorpus.events(BenchCorpus.records().size())) {
            bytes += json.length;
            sink.events.clear();
            unwrapper.unwrap(json, "bench", sink);
            for (CloudTrailEvent e : sink.events) {
                events++;
                sink.signals.clear();
                for (Alert a : rules.evaluate(e, ctx, sink.signals)) {
                    alerts++;
                    chars += a.toJson().length();
                }
            }
        }
        return String.format(java.util.Locale.ROOT,
                "%.2f alerts per event, %.0f characters of alert JSON per event, %.0f input bytes per event",
                alerts / (double) events, chars / (double) events, bytes / (double) events);
    }

    /** Unwrap (parse) one record, evaluate it, format and serialise its alerts. */
    static int evaluate(byte[] json, EventUnwrapper unwrapper, Sink sink, RuleSet rules, EvaluationContext ctx,
                        Blackhole bh) {
        sink.events.clear();
        unwrapper.unwrap(json, "bench", sink);
        int alerts = 0;
        for (CloudTrailEvent e : sink.events) {
            sink.signals.clear();
            for (Alert a : rules.evaluate(e, ctx, sink.signals)) {
                bh.consume(a.toJson());
                alerts++;
            }
            bh.consume(sink.signals.size());
        }
        return alerts;
    }
}

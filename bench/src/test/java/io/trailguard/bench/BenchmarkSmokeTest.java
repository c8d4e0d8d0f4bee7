package io.trailguard.bench;

import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.EventUnwrapper;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A tiny run of every benchmark body: correctness, not speed (speed is measured by BenchMain). */
class BenchmarkSmokeTest {
    static final Blackhole BH = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    @Test
    void everyBenchmarkRunsOnTheCorpus() {
        int size = Math.min(4000, BenchCorpus.records().size());
        List<byte[]> events = BenchCorpus.events(size);
        assertThat(events).hasSize(size);
        assertThat(BenchCorpus.parse(events.get(0)).has("eventName")).isTrue();

        RuleSet full = RuleSets.full();
        EngineBenchmark.Sink sink = new EngineBenchmark.Sink();
        EventUnwrapper unwrapper = new EventUnwrapper();
        int alerts = 0;
        for (byte[] e : events) {
            alerts += EngineBenchmark.evaluate(e, unwrapper, sink, full, full.newContext(), BH);
        }
        assertThat(alerts).as("the corpus exercises the rules").isPositive();

        // the competent baseline does the same detections without the index: the same single-event alerts
        EngineBenchmark.Competent competent = new EngineBenchmark.Competent();
        competent.load();
        int competentAlerts = 0;
        for (byte[] e : events) {
            competentAlerts += EngineBenchmark.competent(e, competent, BH);
        }
        assertThat(competentAlerts).isEqualTo(alerts);

        NaiveEngine naive = new NaiveEngine(RuleSets.fullSources());
        assertThat(naive.ruleCount()).as("rules the naive engine evaluates; skipped: %s", naive.skipReasons())
                .isGreaterThan(5);
        int naiveMatches = 0;
        for (byte[] e : events) {
            naiveMatches += naive.evaluate(e);
        }
        assertThat(naiveMatches).isPositive();
    }

    @Test
    void scaledRuleSetsLoadAndDoTheSameMatchingWorkAtEverySize() {
        List<String> names = ScaledRules.eventNames(BenchCorpus.records());
        List<byte[]> events = BenchCorpus.events(Math.min(4000, BenchCorpus.records().size()));
        int[] sizes = {10, 100, 1000, 10_000};
        int[] alerts = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            RuleSet rs = RuleSets.of(ScaledRules.generate(sizes[i], names));
            assertThat(rs.size()).isEqualTo(sizes[i]);
            EngineBenchmark.Sink sink = new EngineBenchmark.Sink();
            EventUnwrapper unwrapper = new EventUnwrapper();
            for (byte[] e : events) {
                alerts[i] += EngineBenchmark.evaluate(e, unwrapper, sink, rs, rs.newContext(), BH);
            }
        }
        assertThat(alerts[0]).isPositive();
        assertThat(alerts).containsOnly(alerts[0]);
    }

    @Test
    void realisticScaledRulesWatchNamesOfTheTraffic() {
        List<String> names = ScaledRules.eventNames(BenchCorpus.records());
        List<byte[]> events = BenchCorpus.events(Math.min(2000, BenchCorpus.records().size()));
        int[] candidates = new int[2];
        int[] sizes = {10, 1000};
        for (int i = 0; i < sizes.length; i++) {
            RuleSet rs = RuleSets.of(ScaledRules.generate(sizes[i], names, true));
            assertThat(rs.size()).isEqualTo(sizes[i]);
            for (byte[] e : events) {
                EngineBenchmark.Sink sink = new EngineBenchmark.Sink();
                new EventUnwrapper().unwrap(e, "bench", sink);
                candidates[i] += rs.candidates(sink.events.get(0)).length;
            }
        }
        assertThat(candidates[1]).as("more rules on names of the traffic: more candidates per event")
                .isGreaterThan(candidates[0] * 5);
    }

    @Test
    void syntheticEventsStandAlone() {
        assertThat(SyntheticEvents.records(100, 1)).hasSize(100)
                .allSatisfy(r -> assertThat(r.has("eventName")).isTrue());
    }
}

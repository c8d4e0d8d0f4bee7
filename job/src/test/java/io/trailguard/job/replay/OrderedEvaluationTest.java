package io.trailguard.job.replay;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.MatchingMode;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.loader.RuleLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The direct replay gives the same alerts and dead letters, in the same order, and the same counts whether one
 * thread or several evaluate the records ({@link OrderedEvaluation}): over several inputs, across batch boundaries,
 * with repeated events (the first occurrence wins) and unreadable lines between readable ones.
 */
class OrderedEvaluationTest {
    @Test
    void workersGiveWhatOneThreadGives(@TempDir Path dir) throws Exception {
        List<String> samples = new ArrayList<>();
        for (String line : new String(OrderedEvaluationTest.class.getClassLoader()
                .getResourceAsStream("io/trailguard/job/samples/index.txt").readAllBytes(), StandardCharsets.UTF_8)
                .split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                samples.add("io/trailguard/job/samples/" + line.trim());
            }
        }
        StringBuilder hostile = new StringBuilder();
        for (int i = 0; i < 3 * OrderedEvaluation.BATCH + 7; i++) {
            hostile.append(i % 5 == 0 ? "{not json" : i % 7 == 0 ? "[1,2" : "{\"eventName\":\"x" + i + "\"}").append('\n');
        }
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), hostile.toString());
        List<ReplayInput> inputs = new ArrayList<>();
        for (int round = 0; round < 3; round++) { // the same events again: duplicates to drop
            for (String s : samples) {
                inputs.add(ReplayInput.resource(s));
            }
            inputs.add(ReplayInput.file(bad.toString()));
        }
        RuleBundle rules = RuleBundle.ofSources("test", null, RuleLoader.bundledPacks(), "bundled");

        Recorded one = replay(rules, inputs, 1);
        Recorded three = replay(rules, inputs, 3);
        assertThat(one.alerts).hasSizeGreaterThan(10);
        assertThat(one.deadLetters).hasSizeGreaterThan(3 * OrderedEvaluation.BATCH / 5);
        assertThat(one.duplicates).as("repeated events dropped").isPositive();
        assertThat(three.alerts).isEqualTo(one.alerts);
        assertThat(three.deadLetters).isEqualTo(one.deadLetters);
        assertThat(three.counts).isEqualTo(one.counts);
    }

    private static final class Recorded {
        final List<String> alerts = new ArrayList<>();
        final List<String> deadLetters = new ArrayList<>();
        String counts;
        long duplicates;
    }

    private static Recorded replay(RuleBundle rules, List<ReplayInput> inputs, int evaluators) {
        Recorded r = new Recorded();
        BoundedReplay.Counts c = new BoundedReplay(rules, MatchingMode.ALL, Duration.ofHours(1), System::nanoTime,
                evaluators).run(inputs, new ReplayOutput() {
                    @Override
                    public void alert(Alert a) {
                        r.alerts.add(a.toJson());
                    }

                    @Override
                    public void deadLetter(DeadLetter d) {
                        r.deadLetters.add(d.origin() + " " + d.reason());
                    }

                    @Override
                    public void finish() {
                    }
                }, BoundedReplay.noProgress());
        r.duplicates = c.duplicates;
        r.counts = "files " + c.files + " events " + c.events + " dead " + c.deadLetters + " duplicates "
                + c.duplicates + " alerts " + c.alerts;
        return r;
    }
}

package io.trailguard.rules.event;

import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.field.EvaluationContext;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.RuleLoader;
import io.trailguard.rules.source.RuleSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine over the shared corpora read as the job and the CLI read files ({@link InputFiles}), once with the lazy
 * tree and once with whole trees: the same events, alerts (their JSON lines), rate signals and dead letters, with the
 * bundled packs plus SigmaHQ's rules from ../shared/anchors/sigma/rules (the benchmark's rule set).
 */
class LazyTreeAlertsTest {

    @Test
    void corporaRaiseTheSameAlertsOnTheLazyTree() throws IOException {
        Path corpora = LazyTreeEquivalenceTest.corpora();
        List<RuleSource> sources = new ArrayList<>(RuleLoader.bundledPacks());
        Path sigma = corpora.resolve("../anchors/sigma/rules").normalize();
        if (Files.isDirectory(sigma)) {
            sources.addAll(RuleLoader.sources(List.of(sigma)));
        }
        RuleSet rules = RuleLoader.load(sources, LoadOptions.defaults()).orThrow();
        Path library = corpora.resolve("aws-cloudtrail-processing-library");
        List<Path> files = InputFiles.list(Arrays.asList(corpora, library.resolve("SQSMessageBody"),
                library.resolve("SQSMessageBodyWrongFormat")), w -> { });

        List<String> lazy = replay(files, new EventUnwrapper(), rules);
        List<String> whole = replay(files, EventUnwrapper.wholeTree(new EventNumbers()), rules);

        for (int i = 0; i < Math.min(lazy.size(), whole.size()); i++) {
            assertThat(lazy.get(i)).as("line %d", i).isEqualTo(whole.get(i));
        }
        assertThat(lazy).hasSameSizeAs(whole);
        long alerts = lazy.stream().filter(s -> s.startsWith("alert ")).count();
        System.out.printf("corpora on the lazy tree: %d lines, %d alerts%n", lazy.size(), alerts);
        assertThat(alerts).isGreaterThan(100);
    }

    private static List<String> replay(List<Path> files, EventUnwrapper unwrapper, RuleSet rules) throws IOException {
        List<String> out = new ArrayList<>();
        EvaluationContext ctx = rules.newContext();
        InputFiles input = new InputFiles(unwrapper);
        for (Path f : files) {
            input.read(f, new EventSink() {
                @Override
                public void event(CloudTrailEvent e) {
                    out.add("event " + e.number() + " " + e.timeMillis() + " " + e.eventId());
                    List<Signal> signals = new ArrayList<>();
                    // an event without a time is stamped with the wall clock, which differs between the two runs
                    for (Alert a : rules.evaluate(e, ctx, signals)) {
                        String line = a.toJson();
                        out.add("alert " + (e.hasTime() ? line : line.replaceFirst("^\\{\"time\":\"[^\"]*\"", "{")));
                    }
                    for (Signal s : signals) {
                        out.add("signal " + (e.hasTime() ? s.toString() : s.toString().replaceAll(" @\\d+ ", " @now ")));
                    }
                }

                @Override
                public void deadLetter(DeadLetter d) {
                    out.add("dead letter " + d.toJson());
                }
            });
        }
        return out;
    }

    private static final class EventNumbers implements java.util.function.LongSupplier {
        private long next = 1;

        @Override
        public long getAsLong() {
            return next++;
        }
    }
}

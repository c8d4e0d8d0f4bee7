package io.trailguard.rules.packs;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.RuleSet;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.event.EventSink;
import io.trailguard.rules.event.EventUnwrapper;
import io.trailguard.rules.event.InputFiles;
import io.trailguard.rules.fixtures.FixtureRunner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads corpus files as the job would and replays them through rule sets. */
final class CorpusReplay {
    private CorpusReplay() {}

    /** The events of the files (directories walked, sorted by path), in file order; dead letters are an error. */
    static List<CloudTrailEvent> read(List<Path> paths) throws IOException {
        List<CloudTrailEvent> events = new ArrayList<>();
        List<String> dead = new ArrayList<>();
        InputFiles in = new InputFiles(new EventUnwrapper());
        for (Path f : InputFiles.list(paths, w -> { })) {
            in.read(f, new EventSink() {
                @Override
                public void event(CloudTrailEvent e) {
                    events.add(e);
                }

                @Override
                public void deadLetter(DeadLetter d) {
                    dead.add(d.toJson());
                }
            });
        }
        if (!dead.isEmpty()) {
            throw new IllegalStateException("dead letters: " + dead);
        }
        return events;
    }

    /** Delivery order with a watermark 10 minutes behind (S3-delivered CloudTrail files are up to ~10 minutes late). */
    static List<Alert> delivered(RuleSet rs, List<CloudTrailEvent> events) {
        return FixtureRunner.alerts(rs, events, 10 * 60_000L, false);
    }

    static Map<String, Integer> countByRule(List<Alert> alerts) {
        Map<String, Integer> m = new TreeMap<>();
        for (Alert a : alerts) {
            m.merge(a.rule().name(), 1, Integer::sum);
        }
        return m;
    }
}

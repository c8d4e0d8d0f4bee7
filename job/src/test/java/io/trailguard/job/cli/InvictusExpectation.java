package io.trailguard.job.cli;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.IncidentSummary;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.DeadLetter;
import io.trailguard.rules.event.EventSink;
import io.trailguard.rules.event.EventUnwrapper;
import io.trailguard.rules.event.InputFiles;
import io.trailguard.rules.fixtures.FixtureRunner;
import io.trailguard.rules.incident.EvidenceOf;
import io.trailguard.rules.incident.FindingIdOf;
import io.trailguard.rules.incident.IncidentCorrelator;
import io.trailguard.rules.incident.SubjectActor;
import io.trailguard.rules.loader.LoadOptions;
import io.trailguard.rules.loader.LoadResult;
import io.trailguard.rules.loader.RuleLoader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The incidents the plain-Java engine and correlator find in input files: what the job must deliver too. */
public final class InvictusExpectation {
    private InvictusExpectation() {
    }

    /** The bundled packs' alerts over the events in {@code dir} (plain Java, before the incident stage). */
    public static List<Alert> alerts(Path dir) throws Exception {
        List<CloudTrailEvent> events = new ArrayList<>();
        InputFiles in = new InputFiles(new EventUnwrapper());
        for (Path f : InputFiles.list(List.of(dir), w -> { })) {
            in.read(f, new EventSink() {
                @Override
                public void event(CloudTrailEvent e) {
                    events.add(e);
                }

                @Override
                public void deadLetter(DeadLetter d) {
                    throw new IllegalStateException(d.toJson());
                }
            });
        }
        return FixtureRunner.alerts(RuleLoader.load(RuleLoader.bundledPacks(), LoadOptions.defaults()).orThrow(),
                events, 0, true);
    }

    /** The last version of each incident of the bundled packs over {@code dir}. */
    static List<IncidentSummary> incidents(Path dir) throws Exception {
        LoadResult r = RuleLoader.load(RuleLoader.bundledPacks(), LoadOptions.defaults());
        List<Alert> alerts = alerts(dir);
        List<Alert> versions = new IncidentCorrelator(r.incidentPolicy(),
                new EvidenceOf(SubjectActor.INSTANCE, FindingIdOf.none())).incidents(alerts);
        return IncidentCorrelator.latest(versions).stream().map(Alert::incident).collect(Collectors.toList());
    }

    /** Members as {@code time rule eventId}, without finding ids (which depend on the output). */
    static List<String> members(IncidentSummary s) {
        return s.members().stream().map(m -> m.time() + " " + m.rule() + " " + m.eventId())
                .collect(Collectors.toList());
    }
}

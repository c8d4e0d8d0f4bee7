package io.trailguard.job.operators;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.incident.Evidence;
import io.trailguard.rules.incident.EvidenceOf;
import io.trailguard.rules.incident.FindingIdOf;
import io.trailguard.rules.incident.SubjectActor;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The evidence of each alert for the incident stage ({@link EvidenceOf}): principal from the alert's subject,
 * member finding ids from the given function (the pipeline passes the Security Hub output's), so an incident's
 * related findings are the members' own findings.
 */
public final class AlertEvidence implements FlatMapFunction<Alert, Evidence> {
    private static final long serialVersionUID = 1L;

    private final EvidenceOf evidence;

    public AlertEvidence(FindingIdOf findingIds) {
        this.evidence = new EvidenceOf(SubjectActor.INSTANCE, findingIds);
    }

    @Override
    public void flatMap(Alert a, Collector<Evidence> out) {
        Evidence e = evidence.of(a);
        if (e != null) {
            out.collect(e);
        }
    }
}

package io.trailguard.job.incident;

import io.trailguard.job.sink.aws.FindingMapper;
import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.incident.Evidence;
import io.trailguard.rules.incident.EvidenceOf;
import io.trailguard.rules.incident.SubjectActor;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * The evidence of each alert for the incident stage ({@link EvidenceOf}): principal from the alert's subject,
 * member finding ids as the Security Hub output computes them ({@link FindingMapper#findingId}), so an incident's
 * related findings are the members' own findings.
 */
public final class AlertEvidence implements FlatMapFunction<Alert, Evidence> {
    private static final long serialVersionUID = 1L;

    private final EvidenceOf evidence = new EvidenceOf(SubjectActor.INSTANCE, FindingMapper::findingId);

    @Override
    public void flatMap(Alert a, Collector<Evidence> out) {
        Evidence e = evidence.of(a);
        if (e != null) {
            out.collect(e);
        }
    }
}

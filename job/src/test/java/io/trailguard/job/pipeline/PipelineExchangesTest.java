package io.trailguard.job.pipeline;

import io.trailguard.job.CollectingOutput;
import io.trailguard.job.TestEvents;
import io.trailguard.job.TestRules;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.bundle.RuleStatus;
import io.trailguard.job.serde.AlertSerializer;
import io.trailguard.job.serde.EvaluatedSerializer;
import io.trailguard.job.serde.EvidenceSerializer;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.rules.event.DeadLetter;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.kryo.KryoSerializer;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What crosses between the tasks of the streaming graph, and how: the operators that must share a task, and the
 * serializers of the records on every input, so that a per-event record never falls back to Kryo.
 */
class PipelineExchangesTest {
    private static StreamGraph graph() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2);
        List<RawRecord> one = List.of(TestEvents.raw(TestEvents.envelope(TestEvents.record("iam.amazonaws.com",
                "CreateUser", "e1", "2026-02-01T10:00:00Z")), "shard-0:1"));
        DetectionPipeline.build(env, env.fromData(one, TypeInformation.of(RawRecord.class)), null,
                PipelineSettings.streaming(TestRules.base()), List.of(new CollectingOutput()));
        return env.getStreamGraph();
    }

    /** The names of the job graph's tasks: its chained operators' names joined by " -> ". */
    private static List<String> taskNames() {
        List<String> tasks = new ArrayList<>();
        for (JobVertex v : graph().getJobGraph().getVertices()) {
            tasks.add(v.getName());
        }
        return tasks;
    }

    /** Incident evidence is made in the task of the alerts it comes from: no task of its own reading alerts. */
    @Test
    void incidentEvidenceIsChainedToTheAlertsItComesFrom() {
        List<String> tasks = taskNames();
        assertThat(tasks).as(tasks.toString()).noneMatch(t -> t.startsWith("Incident evidence"));
        assertThat(tasks).as(tasks.toString()).anyMatch(t -> t.startsWith("Drop duplicate events")
                && t.contains("Alerts -> Incident evidence"));
        for (int stage = 1; stage <= 3; stage++) {
            String chain = "Rate alerts " + stage + " -> Incident evidence";
            assertThat(tasks).as(tasks.toString()).anyMatch(t -> t.contains(chain));
        }
    }

    /**
     * Without a control stream the events also feed the operator that keeps the bundle input running; it runs in
     * the events source's task (here a source of parallelism 1 under a job of parallelism 2, as `replay`'s), so no
     * event crosses to it.
     */
    @Test
    void theNoBundlesOperatorIsChainedToTheEventsSource() {
        List<String> tasks = taskNames();
        assertThat(tasks).as(tasks.toString()).noneMatch(t -> t.startsWith("Events carry no rule bundles"));
        assertThat(tasks).as(tasks.toString()).anyMatch(t -> t.contains("-> Events carry no rule bundles"));
    }

    /**
     * Every operator input and output has a serializer of its own but those of the rare records (rule bundles,
     * rule status, dead letters), which go through Kryo with Java serialisation; the per-event records between
     * tasks have the job's serializers.
     */
    @Test
    void onlyRareRecordsUseKryo() throws Exception {
        Set<Class<?>> kryo = new HashSet<>();
        StreamGraph g = graph();
        for (StreamNode n : g.getStreamNodes()) {
            List<TypeSerializer<?>> all = new ArrayList<>(List.of(n.getTypeSerializersIn()));
            all.add(n.getTypeSerializerOut());
            for (TypeSerializer<?> s : all) {
                if (s instanceof KryoSerializer) {
                    kryo.add(kryoType((KryoSerializer<?>) s));
                }
            }
            if (n.getOperatorName().equals("Drop duplicate events")) {
                assertThat(n.getTypeSerializersIn()[0]).isInstanceOf(EvaluatedSerializer.class);
            }
            if (n.getOperatorName().equals("Incidents")) {
                assertThat(n.getTypeSerializersIn()[0]).isInstanceOf(EvidenceSerializer.class);
            }
            if (n.getOperatorName().startsWith("Rate alerts")) {
                assertThat(n.getTypeSerializerOut()).isInstanceOf(AlertSerializer.class);
            }
        }
        assertThat(kryo).isSubsetOf(Set.of(RuleBundle.class, RuleStatus.class, DeadLetter.class));
    }

    /** The class a Kryo serializer is for (Flink 1.20 keeps it in a private field). */
    private static Class<?> kryoType(KryoSerializer<?> s) throws ReflectiveOperationException {
        Field f = KryoSerializer.class.getDeclaredField("type");
        f.setAccessible(true);
        return (Class<?>) f.get(s);
    }
}

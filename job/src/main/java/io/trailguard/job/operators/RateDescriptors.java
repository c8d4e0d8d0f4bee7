package io.trailguard.job.operators;

import io.trailguard.job.serde.WindowStateTypeInfo;
import io.trailguard.rules.aggregate.Signal;
import io.trailguard.rules.aggregate.WindowEntry;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;

import java.util.List;

/** State descriptors and tags of the rate-rule operator (their names are part of the checkpoint format). */
public final class RateDescriptors {
    /**
     * Per (rule, group): the window's counted events, suppression and open window ({@link WindowStateTypeInfo}), in
     * a form of {@link io.trailguard.rules.aggregate.StoredWindow}.
     */
    public static final ValueStateDescriptor<Object> WINDOWS =
            new ValueStateDescriptor<>("rate-window", new WindowStateTypeInfo());

    /** Bounded mode: signals waiting for the final watermark, by event time. */
    public static final MapStateDescriptor<Long, List<WindowEntry>> PENDING =
            new MapStateDescriptor<>("rate-pending", Types.LONG, Types.LIST(TypeInformation.of(WindowEntry.class)));

    /** Signals for rules chained on a rule that fired (Sigma chained correlations), for the next stage. */
    public static final OutputTag<Signal> CHAINED = new OutputTag<>("chained-signals", TypeInformation.of(Signal.class));

    private RateDescriptors() {
    }
}

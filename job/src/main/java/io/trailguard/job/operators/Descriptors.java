package io.trailguard.job.operators;

import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.bundle.RuleStatus;
import io.trailguard.job.serde.FindingTimesTypes;
import io.trailguard.rules.engine.FindingTimes;
import io.trailguard.rules.event.DeadLetter;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;

import java.time.Duration;

/**
 * The job's state descriptors and side-output tags, in one place: their names are part of the checkpoint format, so
 * renaming one loses that state on restore.
 */
public final class Descriptors {
    /**
     * Broadcast state holding the active, accepted rule bundle: {@link #ACTIVE_HASH} and {@link #ACTIVE_BUNDLE} (the
     * bundle as JSON, see {@link RuleBundle#toStateJson()}). Empty until a bundle from the
     * control stream is accepted; the start-up bundle is used meanwhile.
     */
    public static final MapStateDescriptor<String, String> RULES =
            new MapStateDescriptor<>("active-rule-bundle", Types.STRING, Types.STRING);
    public static final String ACTIVE_HASH = "hash";
    public static final String ACTIVE_BUNDLE = "bundle";

    /** Operator state of the bundle assembler: chunks of bundles not yet complete. */
    public static final ListStateDescriptor<String> PENDING_CHUNKS =
            new ListStateDescriptor<>("pending-bundle-chunks", Types.STRING);

    /** Input that did not become an event, with its origin and reason. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** Accepted, rejected and active rule bundles. */
    public static final OutputTag<RuleStatus> RULE_STATUS =
            new OutputTag<>("rule-status", TypeInformation.of(RuleStatus.class));

    private Descriptors() {
    }

    /** Keyed state of the deduplicator: set when an event key is first seen, expiring after {@code horizon}. */
    public static ValueStateDescriptor<Boolean> seenEvent(Duration horizon) {
        ValueStateDescriptor<Boolean> d = new ValueStateDescriptor<>("seen-event", Types.BOOLEAN);
        d.enableTimeToLive(StateTtlConfig.newBuilder(horizon)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                // heap backend: each access (a read and a write per event) also checks about one entry for expiry,
                // round robin, so the heap holds at most about twice the keys of one horizon; the default (5 per
                // access) cost a quarter of the operator's time. RocksDB drops expired keys in compaction instead.
                .cleanupIncrementally(1, false)
                .build());
        return d;
    }

    /**
     * A finding id's last {@link FindingTimes}, for {@link FindingTimesStamper}; expires {@code ttl} after its last
     * write (processing time), so a finding id silent that long starts over with a new {@code CreatedAt}.
     */
    public static ValueStateDescriptor<FindingTimes> findingTimes(Duration ttl) {
        ValueStateDescriptor<FindingTimes> d = new ValueStateDescriptor<>("finding-times",
                FindingTimesTypes.TimesType.INSTANCE);
        d.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupIncrementally(1, false)
                .build());
        return d;
    }
}

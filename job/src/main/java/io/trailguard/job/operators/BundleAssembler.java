package io.trailguard.job.operators;

import io.trailguard.job.bundle.ChunkAssembly;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.bundle.RuleStatus;
import io.trailguard.job.serde.RawRecord;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

/**
 * Reassembles control-stream records into rule bundles (parallelism 1, right after the control source). Whole
 * bundles pass through; chunks wait in operator state, checkpointed, until their set is complete. Malformed control
 * messages become {@code rejected} {@link RuleStatus} records on {@link Descriptors#RULE_STATUS}; a chunked bundle
 * discarded before it completed (still incomplete {@code chunkTimeout} after its first chunk, or when a newer bundle
 * arrived complete: see {@link ChunkAssembly}) becomes an {@code incomplete} record naming the chunks received.
 *
 * <p>An operator rather than a {@code ProcessFunction}: the timeout needs a processing-time timer on a non-keyed
 * stream, and a timer callback that can emit. The timeout runs on processing time (the assembler runs at parallelism 1
 * and a truncated bundle has no event time); a restored set's timeout starts again at the restore. The state (uid
 * {@code bundle-assembler}, list state {@link Descriptors#PENDING_CHUNKS}) is the same as before.
 */
public final class BundleAssembler extends AbstractStreamOperator<RuleBundle>
        implements OneInputStreamOperator<RawRecord, RuleBundle> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BundleAssembler.class);

    private final long chunkTimeoutMillis;

    private transient ChunkAssembly assembly;
    private transient ListState<String> pendingState;
    /** Processing time of the registered expiry timer, or Long.MAX_VALUE when none is registered. */
    private transient long timerAt;

    public BundleAssembler(Duration chunkTimeout) {
        this.chunkTimeoutMillis = chunkTimeout.toMillis();
        if (chunkTimeoutMillis <= 0) {
            throw new IllegalArgumentException("chunk timeout must be positive, got " + chunkTimeout);
        }
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        pendingState = context.getOperatorStateStore().getListState(Descriptors.PENDING_CHUNKS);
        assembly = new ChunkAssembly(chunkTimeoutMillis);
        timerAt = Long.MAX_VALUE;
        if (context.isRestored()) {
            assembly.restore(pendingState.get(), now());
            if (assembly.pendingSets() > 0) {
                LOG.info("restored {} incomplete chunked rule bundle(s) from the checkpoint", assembly.pendingSets());
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        scheduleExpiry();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        pendingState.update(assembly.pendingSets() == 0 ? Collections.emptyList() : assembly.pendingChunks());
    }

    @Override
    public void processElement(StreamRecord<RawRecord> element) {
        RawRecord record = element.getValue();
        ChunkAssembly.Outcome outcome = assembly.accept(record.data, record.origin, now());
        report(outcome.rejections, element);
        if (outcome.bundle != null) {
            LOG.info("rule bundle {} ({}) received from the control stream at {}", outcome.bundle.version(),
                    outcome.bundle.shortHash(), record.origin);
            output.collect(element.replace(outcome.bundle));
        }
        scheduleExpiry();
    }

    private void onExpiry(long time) {
        timerAt = Long.MAX_VALUE;
        report(assembly.expire(time), null);
        scheduleExpiry();
    }

    /** Keeps one timer registered at the earliest deadline of the incomplete sets. */
    private void scheduleExpiry() {
        long next = assembly.nextDeadline();
        if (next < timerAt) {
            timerAt = next;
            getProcessingTimeService().registerTimer(next, this::onExpiry);
        }
    }

    private void report(List<ChunkAssembly.Rejection> rejections, StreamRecord<RawRecord> cause) {
        for (ChunkAssembly.Rejection r : rejections) {
            RuleStatus status = new RuleStatus(r.incomplete ? RuleStatus.INCOMPLETE : RuleStatus.REJECTED, r.version,
                    r.hash, -1, Collections.singletonList(r.reason), Collections.emptyList(), now(), -1, r.origin,
                    r.incomplete ? "chunked bundle discarded; the active rules stay" : "invalid control message");
            LOG.warn("{}", status.summary());
            output.collect(Descriptors.RULE_STATUS, cause != null && cause.hasTimestamp()
                    ? new StreamRecord<>(status, cause.getTimestamp()) : new StreamRecord<>(status));
        }
    }

    private long now() {
        return getProcessingTimeService().getCurrentProcessingTime();
    }
}

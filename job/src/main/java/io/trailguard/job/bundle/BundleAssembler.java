package io.trailguard.job.bundle;

import io.trailguard.job.pipeline.Descriptors;
import io.trailguard.job.pipeline.RawRecord;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;

/**
 * Reassembles control-stream records into rule bundles (parallelism 1, right after the control source). Whole
 * bundles pass through; chunks wait in operator state, checkpointed, until their set is complete. Malformed control
 * messages and dropped chunk sets become {@code rejected} {@link RuleStatus} records on
 * {@link Descriptors#RULE_STATUS}.
 */
public final class BundleAssembler extends ProcessFunction<RawRecord, RuleBundle> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BundleAssembler.class);

    private transient ChunkAssembly assembly;
    private transient ListState<String> pendingState;

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pendingState = context.getOperatorStateStore().getListState(Descriptors.PENDING_CHUNKS);
        assembly = new ChunkAssembly();
        if (context.isRestored()) {
            assembly.restore(pendingState.get());
            if (assembly.pendingSets() > 0) {
                LOG.info("restored {} incomplete chunked rule bundle(s) from the checkpoint", assembly.pendingSets());
            }
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        pendingState.update(assembly.pendingSets() == 0 ? Collections.emptyList() : assembly.pendingChunks());
    }

    @Override
    public void processElement(RawRecord record, Context ctx, Collector<RuleBundle> out) {
        ChunkAssembly.Outcome outcome = assembly.accept(record.data, record.origin);
        for (ChunkAssembly.Rejection r : outcome.rejections) {
            RuleStatus status = new RuleStatus(RuleStatus.REJECTED, r.version, r.hash, -1,
                    Collections.singletonList(r.reason), Collections.emptyList(), System.currentTimeMillis(), -1,
                    r.origin, "invalid control message");
            LOG.warn("{}", status.summary());
            ctx.output(Descriptors.RULE_STATUS, status);
        }
        if (outcome.bundle != null) {
            LOG.info("rule bundle {} ({}) received from the control stream at {}", outcome.bundle.version(),
                    outcome.bundle.shortHash(), record.origin);
            out.collect(outcome.bundle);
        }
    }
}

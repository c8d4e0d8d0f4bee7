package io.trailguard.job.serde;

import io.trailguard.rules.engine.Alert;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** Flink's serializer for streams of {@link Alert}: the {@link AlertCodec} format; alerts are immutable. */
public final class AlertSerializer extends TypeSerializerSingleton<Alert> {
    private static final long serialVersionUID = 1L;

    public static final AlertSerializer INSTANCE = new AlertSerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public Alert createInstance() {
        return null;
    }

    @Override
    public Alert copy(Alert from) {
        return from;
    }

    @Override
    public Alert copy(Alert from, Alert reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Alert a, DataOutputView out) throws IOException {
        AlertCodec.write(a, out);
    }

    @Override
    public Alert deserialize(DataInputView in) throws IOException {
        return AlertCodec.read(in);
    }

    @Override
    public Alert deserialize(Alert reuse, DataInputView in) throws IOException {
        return AlertCodec.read(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        AlertCodec.write(AlertCodec.read(in), out);
    }

    @Override
    public TypeSerializerSnapshot<Alert> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1 of the format. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Alert> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}

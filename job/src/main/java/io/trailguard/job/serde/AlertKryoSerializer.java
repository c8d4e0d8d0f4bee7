package io.trailguard.job.serde;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.trailguard.rules.engine.Alert;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;

import java.io.IOException;
import java.io.Serializable;

/**
 * Kryo's serializer for {@link Alert} (registered by the pipeline with the job's types), for streams of
 * alerts: the {@link AlertCodec} format. Alerts are immutable, so {@link #copy} returns the original and chained
 * operators share one instance.
 */
public final class AlertKryoSerializer extends Serializer<Alert> implements Serializable {
    private static final long serialVersionUID = 1L;

    public AlertKryoSerializer() {
        setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output out, Alert a) {
        try {
            AlertCodec.write(a, new DataOutputViewStreamWrapper(out));
        } catch (IOException e) {
            throw new KryoException(e);
        }
    }

    @Override
    public Alert read(Kryo kryo, Input in, Class<Alert> type) {
        try {
            return AlertCodec.read(new DataInputViewStreamWrapper(in));
        } catch (IOException e) {
            throw new KryoException(e);
        }
    }

    @Override
    public Alert copy(Kryo kryo, Alert original) {
        return original;
    }
}

package io.trailguard.job.serde;

import io.trailguard.rules.aggregate.Signal;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.lang.reflect.Type;
import java.util.Map;

/** The type of {@link Evaluated} (declared on the class), with {@link EvaluatedSerializer} as its serializer. */
public final class EvaluatedTypeInfo extends SerializerTypeInfo<Evaluated> {
    private static final long serialVersionUID = 1L;

    public EvaluatedTypeInfo() {
        super(Evaluated.class);
    }

    @Override
    public TypeSerializer<Evaluated> createSerializer(SerializerConfig config) {
        return new EvaluatedSerializer(TypeInformation.of(Signal.class).createSerializer(config));
    }

    /** Named by {@code @TypeInfo} on {@link Evaluated}. */
    public static final class Factory extends TypeInfoFactory<Evaluated> {
        @Override
        public TypeInformation<Evaluated> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new EvaluatedTypeInfo();
        }
    }
}

package io.trailguard.job.pipeline;

import io.trailguard.rules.aggregate.Signal;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.lang.reflect.Type;
import java.util.Map;

/** The type of {@link Evaluated} (declared on the class), with {@link EvaluatedSerializer} as its serializer. */
public final class EvaluatedTypeInfo extends TypeInformation<Evaluated> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<Evaluated> getTypeClass() {
        return Evaluated.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<Evaluated> createSerializer(SerializerConfig config) {
        return new EvaluatedSerializer(TypeInformation.of(Signal.class).createSerializer(config));
    }

    @Override
    @Deprecated
    public TypeSerializer<Evaluated> createSerializer(ExecutionConfig config) {
        return createSerializer(config.getSerializerConfig());
    }

    @Override
    public String toString() {
        return "Evaluated";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvaluatedTypeInfo;
    }

    @Override
    public int hashCode() {
        return EvaluatedTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof EvaluatedTypeInfo;
    }

    /** Named by {@code @TypeInfo} on {@link Evaluated}. */
    public static final class Factory extends TypeInfoFactory<Evaluated> {
        @Override
        public TypeInformation<Evaluated> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new EvaluatedTypeInfo();
        }
    }
}

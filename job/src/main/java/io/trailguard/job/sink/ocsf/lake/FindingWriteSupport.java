package io.trailguard.job.sink.ocsf.lake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.serde.JobJson;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.util.Iterator;
import java.util.Map;

/**
 * Writes a finding's JSON tree as one Parquet record of {@link FindingParquetSchema}: objects as groups, arrays as
 * LISTs, numbers and strings as their columns, a JSON-annotated column as the subtree's JSON text. Strict: an
 * attribute without a column or a value of the wrong JSON type throws IllegalArgumentException (naming its path), so
 * a mapper change the schema does not follow fails the tests rather than dropping data.
 */
final class FindingWriteSupport extends WriteSupport<ObjectNode> {
    private final MessageType schema;
    private final Map<String, String> metadata;
    private RecordConsumer out;
    private boolean emit;

    FindingWriteSupport(MessageType schema, Map<String, String> metadata) {
        this.schema = schema;
        this.metadata = metadata;
    }

    /** Hadoop's entry point; the writer is always built with a ParquetConfiguration. */
    @Override
    public WriteContext init(Configuration configuration) {
        throw new UnsupportedOperationException("built without Hadoop: use a ParquetConfiguration");
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(schema, metadata);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.out = recordConsumer;
    }

    @Override
    public void write(ObjectNode finding) {
        emit = true;
        out.startMessage();
        fields(schema, finding, "");
        out.endMessage();
    }

    /**
     * Throws IllegalArgumentException if {@link #write} would refuse the finding (a dry run of the same walk).
     * Parquet's writer aborts for good on an exception in the middle of a record, so callers check first.
     */
    static void check(MessageType schema, ObjectNode finding) {
        FindingWriteSupport dry = new FindingWriteSupport(schema, Map.of());
        dry.emit = false;
        dry.fields(schema, finding, "");
    }

    /** Fails on an attribute with no column, before anything of the record is written. */
    static void checkColumns(GroupType type, JsonNode node, String path) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!type.containsField(e.getKey())) {
                throw new IllegalArgumentException("no Parquet column for the OCSF attribute " + path + e.getKey());
            }
        }
    }

    private void fields(GroupType type, JsonNode node, String path) {
        if (!emit) {
            checkColumns(type, node, path);
        }
        for (int i = 0; i < type.getFieldCount(); i++) {
            Type field = type.getType(i);
            JsonNode value = node.get(field.getName());
            if (value == null || value.isNull()) {
                continue;
            }
            startField(field.getName(), i);
            value(field, value, path + field.getName());
            endField(field.getName(), i);
        }
    }

    private void value(Type field, JsonNode v, String path) {
        if (field.isPrimitive()) {
            primitive(field.asPrimitiveType(), v, path);
            return;
        }
        GroupType g = field.asGroupType();
        if (isList(g)) {
            if (!v.isArray()) {
                throw new IllegalArgumentException(path + ": an array expected, got " + v.getNodeType());
            }
            GroupType repeated = g.getType(0).asGroupType();
            Type element = repeated.getType(0);
            startGroup();
            if (v.size() > 0) {
                startField(repeated.getName(), 0);
                for (JsonNode item : v) {
                    startGroup();
                    if (!item.isNull()) {
                        startField(element.getName(), 0);
                        value(element, item, path + "[]");
                        endField(element.getName(), 0);
                    }
                    endGroup();
                }
                endField(repeated.getName(), 0);
            }
            endGroup();
            return;
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException(path + ": an object expected, got " + v.getNodeType());
        }
        startGroup();
        fields(g, v, path + ".");
        endGroup();
    }

    private void primitive(PrimitiveType type, JsonNode v, String path) {
        switch (type.getPrimitiveTypeName()) {
            case INT32:
                require(v.isIntegralNumber() && v.canConvertToInt(), path, "a 32-bit integer", v);
                addInteger(v.intValue());
                break;
            case INT64:
                require(v.isIntegralNumber() && v.canConvertToLong(), path, "an integer", v);
                addLong(v.longValue());
                break;
            case BOOLEAN:
                require(v.isBoolean(), path, "a boolean", v);
                addBoolean(v.booleanValue());
                break;
            case DOUBLE:
                require(v.isNumber(), path, "a number", v);
                addDouble(v.doubleValue());
                break;
            case BINARY:
                if (type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
                    addBinary(Binary.fromString(JobJson.write(v)));
                } else {
                    require(v.isTextual(), path, "a string", v);
                    addBinary(Binary.fromString(v.textValue()));
                }
                break;
            default:
                throw new IllegalStateException(path + ": no writer for " + type);
        }
    }

    private void startField(String name, int i) {
        if (emit) {
            out.startField(name, i);
        }
    }

    private void endField(String name, int i) {
        if (emit) {
            out.endField(name, i);
        }
    }

    private void startGroup() {
        if (emit) {
            out.startGroup();
        }
    }

    private void endGroup() {
        if (emit) {
            out.endGroup();
        }
    }

    private void addInteger(int v) {
        if (emit) {
            out.addInteger(v);
        }
    }

    private void addLong(long v) {
        if (emit) {
            out.addLong(v);
        }
    }

    private void addBoolean(boolean v) {
        if (emit) {
            out.addBoolean(v);
        }
    }

    private void addDouble(double v) {
        if (emit) {
            out.addDouble(v);
        }
    }

    private void addBinary(Binary v) {
        if (emit) {
            out.addBinary(v);
        }
    }

    private static void require(boolean ok, String path, String expected, JsonNode v) {
        if (!ok) {
            throw new IllegalArgumentException(path + ": " + expected + " expected, got " + v);
        }
    }

    static boolean isList(GroupType g) {
        return g.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation;
    }

    static Type elementType(GroupType list) {
        return list.getType(0).asGroupType().getType(0);
    }
}

package io.trailguard.job.serde;

import io.trailguard.rules.engine.Alert;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of an {@link Alert} between operators: its fields in order, strings as Flink writes them (null
 * allowed), and the values of {@code output_fields} and {@code aggregate} with a type tag: null, string, long,
 * integer, double, list, map; any other value by Java serialisation. Alerts are in transit only, never in
 * checkpointed state (sinks keep theirs as JSON), so the format may change between versions.
 */
public final class AlertCodec {
    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte LONG = 2;
    private static final byte INTEGER = 3;
    private static final byte DOUBLE = 4;
    private static final byte LIST = 5;
    private static final byte MAP = 6;
    private static final byte OTHER = 7;

    private AlertCodec() {
    }

    public static void write(Alert a, DataOutputView out) throws IOException {
        BinaryText.write(a.time(), out);
        out.writeLong(a.eventTimeMillis());
        BinaryText.write(a.rule(), out);
        BinaryText.write(a.priority(), out);
        BinaryText.write(a.source(), out);
        List<String> tags = a.tags();
        out.writeInt(tags.size());
        for (String t : tags) {
            BinaryText.write(t, out);
        }
        BinaryText.write(a.output(), out);
        writeMap(a.outputFields(), out);
        BinaryText.write(a.hostname(), out);
        BinaryText.write(a.eventId(), out);
        BinaryText.write(a.account(), out);
        BinaryText.write(a.region(), out);
        Map<String, Object> aggregate = a.aggregate();
        out.writeBoolean(aggregate != null);
        if (aggregate != null) {
            writeMap(aggregate, out);
        }
    }

    public static Alert read(DataInputView in) throws IOException {
        String time = BinaryText.read(in);
        long millis = in.readLong();
        String rule = BinaryText.read(in);
        String priority = BinaryText.read(in);
        String source = BinaryText.read(in);
        int tagCount = in.readInt();
        List<String> tags = new ArrayList<>(tagCount);
        for (int i = 0; i < tagCount; i++) {
            tags.add(BinaryText.read(in));
        }
        String output = BinaryText.read(in);
        Map<String, Object> fields = readMap(in);
        String hostname = BinaryText.read(in);
        String eventId = BinaryText.read(in);
        String account = BinaryText.read(in);
        String region = BinaryText.read(in);
        Map<String, Object> aggregate = in.readBoolean() ? readMap(in) : null;
        return new Alert(time, millis, rule, priority, source, tags, output, fields, hostname, eventId, account,
                region, aggregate);
    }

    private static void writeMap(Map<?, ?> map, DataOutputView out) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<?, ?> e : map.entrySet()) {
            BinaryText.write(String.valueOf(e.getKey()), out);
            writeValue(e.getValue(), out);
        }
    }

    private static Map<String, Object> readMap(DataInputView in) throws IOException {
        int n = in.readInt();
        Map<String, Object> map = new LinkedHashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            String key = BinaryText.read(in);
            map.put(key, readValue(in));
        }
        return map;
    }

    private static void writeValue(Object v, DataOutputView out) throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof String) {
            out.writeByte(STRING);
            BinaryText.write((String) v, out);
        } else if (v instanceof Long) {
            out.writeByte(LONG);
            out.writeLong((Long) v);
        } else if (v instanceof Integer) {
            out.writeByte(INTEGER);
            out.writeInt((Integer) v);
        } else if (v instanceof Double) {
            out.writeByte(DOUBLE);
            out.writeDouble((Double) v);
        } else if (v instanceof List) {
            List<?> list = (List<?>) v;
            out.writeByte(LIST);
            out.writeInt(list.size());
            for (Object o : list) {
                writeValue(o, out);
            }
        } else if (v instanceof Map) {
            out.writeByte(MAP);
            writeMap((Map<?, ?>) v, out);
        } else if (v instanceof Serializable) {
            out.writeByte(OTHER);
            byte[] bytes = InstantiationUtil.serializeObject(v);
            out.writeInt(bytes.length);
            out.write(bytes);
        } else {
            throw new IOException("alert value of type " + v.getClass().getName() + " cannot be serialised");
        }
    }

    private static Object readValue(DataInputView in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case NULL:
                return null;
            case STRING:
                return BinaryText.read(in);
            case LONG:
                return in.readLong();
            case INTEGER:
                return in.readInt();
            case DOUBLE:
                return in.readDouble();
            case LIST: {
                int n = in.readInt();
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(readValue(in));
                }
                return list;
            }
            case MAP:
                return readMap(in);
            case OTHER: {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                try {
                    return InstantiationUtil.deserializeObject(bytes, AlertCodec.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IOException("alert value of an unknown class", e);
                }
            }
            default:
                throw new IOException("corrupt alert record: value tag " + tag);
        }
    }
}

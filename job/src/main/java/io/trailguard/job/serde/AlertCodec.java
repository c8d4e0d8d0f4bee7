package io.trailguard.job.serde;

import io.trailguard.rules.engine.Alert;
import io.trailguard.rules.engine.AlertJson;
import io.trailguard.rules.engine.EventReference;
import io.trailguard.rules.engine.EventSubject;
import io.trailguard.rules.engine.IncidentMember;
import io.trailguard.rules.engine.IncidentSummary;
import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.engine.RateSummary;
import io.trailguard.rules.engine.ResourceKind;
import io.trailguard.rules.engine.RuleGuidance;
import io.trailguard.rules.engine.RuleGuidanceTags;
import io.trailguard.rules.engine.RuleIdentity;
import io.trailguard.rules.engine.TargetResource;
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
 * The binary form of an {@link Alert} between operators, format 3: rule identity (name, priority ordinal, tags,
 * source, description, guidance, bundle version, rule version), event reference, subject, output, output fields, hostname, the
 * rate summary and the incident summary (each behind a presence flag). Strings as {@link BinaryText} (null allowed); output field values with a type tag: null,
 * string, long, integer, double, list, map; any other value by Java serialisation.
 *
 * <p>Format 2 is format 3 without the rule version (read by {@link #read(DataInputView, int)}: the version of the
 * rule's {@code version:} tag). Format 1 (the untyped alert: time, millis, rule, priority text, source, tags, output, fields, hostname, event
 * id, account, region, aggregate map) is still read by {@link #readFormat1}: {@link AlertSerializer}'s snapshot
 * says which format a checkpoint holds and restores a reader for it.
 */
public final class AlertCodec {
    /** The format {@link #write} writes. */
    public static final int FORMAT = 3;

    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte LONG = 2;
    private static final byte INTEGER = 3;
    private static final byte DOUBLE = 4;
    private static final byte LIST = 5;
    private static final byte MAP = 6;
    private static final byte OTHER = 7;

    private static final Priority[] PRIORITIES = Priority.values();
    private static final ResourceKind[] KINDS = ResourceKind.values();

    private AlertCodec() {
    }

    public static void write(Alert a, DataOutputView out) throws IOException {
        RuleIdentity r = a.rule();
        BinaryText.write(r.name(), out);
        out.writeByte(r.priority().ordinal());
        writeStrings(r.tags(), out);
        BinaryText.write(r.source(), out);
        BinaryText.write(r.description(), out);
        RuleGuidance g = r.guidance();
        BinaryText.write(g.remediation(), out);
        BinaryText.write(g.remediationUrl(), out);
        writeStrings(g.references(), out);
        BinaryText.write(g.runbookUrl(), out);
        writeStrings(g.falsePositives(), out);
        BinaryText.write(r.bundleVersion(), out);
        BinaryText.write(r.version(), out);

        EventReference e = a.event();
        BinaryText.write(e.id(), out);
        BinaryText.write(e.time(), out);
        out.writeLong(e.timeMillis());
        BinaryText.write(e.account(), out);
        BinaryText.write(e.region(), out);

        EventSubject s = a.subject();
        BinaryText.write(s.principalArn(), out);
        BinaryText.write(s.principalName(), out);
        BinaryText.write(s.principalType(), out);
        BinaryText.write(s.principalAccount(), out);
        BinaryText.write(s.accessKeyId(), out);
        BinaryText.write(s.sourceIp(), out);
        BinaryText.write(s.userAgent(), out);
        BinaryText.write(s.eventSource(), out);
        BinaryText.write(s.eventName(), out);
        BinaryText.write(s.errorCode(), out);
        out.writeInt(s.resources().size());
        for (TargetResource t : s.resources()) {
            out.writeByte(t.kind().ordinal());
            BinaryText.write(t.value(), out);
            BinaryText.write(t.from(), out);
        }

        BinaryText.write(a.output(), out);
        writeMap(a.outputFields(), out);
        BinaryText.write(a.hostname(), out);
        RateSummary rate = a.rate();
        out.writeBoolean(rate != null);
        if (rate != null) {
            writeRate(rate, out);
        }
        IncidentSummary incident = a.incident();
        out.writeBoolean(incident != null);
        if (incident != null) {
            writeIncident(incident, out);
        }
    }

    private static void writeIncident(IncidentSummary s, DataOutputView out) throws IOException {
        BinaryText.write(s.id(), out);
        out.writeInt(s.version());
        BinaryText.write(s.principal(), out);
        writeStrings(s.sourceAddresses(), out);
        out.writeLong(s.firstMillis());
        out.writeLong(s.lastMillis());
        out.writeInt(s.score());
        writeStrings(s.tactics(), out);
        writeStrings(s.techniques(), out);
        out.writeInt(s.members().size());
        for (IncidentMember m : s.members()) {
            BinaryText.write(m.rule(), out);
            BinaryText.write(m.priority(), out);
            BinaryText.write(m.eventId(), out);
            out.writeLong(m.timeMillis());
            BinaryText.write(m.findingId(), out);
        }
    }

    private static IncidentSummary readIncident(DataInputView in) throws IOException {
        String id = BinaryText.read(in);
        int version = in.readInt();
        String principal = BinaryText.read(in);
        List<String> addresses = readStrings(in);
        long first = in.readLong();
        long last = in.readLong();
        int score = in.readInt();
        List<String> tactics = readStrings(in);
        List<String> techniques = readStrings(in);
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt record: " + n + " incident members");
        }
        List<IncidentMember> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            members.add(new IncidentMember(BinaryText.read(in), BinaryText.read(in), BinaryText.read(in),
                    in.readLong(), BinaryText.read(in)));
        }
        return new IncidentSummary(id, version, principal, addresses, first, last, score, tactics, techniques,
                members);
    }

    public static Alert read(DataInputView in) throws IOException {
        return read(in, FORMAT);
    }

    /** Reads an alert of {@code format} 2 or 3. */
    public static Alert read(DataInputView in, int format) throws IOException {
        String name = BinaryText.read(in);
        Priority priority = PRIORITIES[in.readUnsignedByte()];
        List<String> tags = readStrings(in);
        String source = BinaryText.read(in);
        String description = BinaryText.read(in);
        RuleGuidance guidance = new RuleGuidance(BinaryText.read(in), BinaryText.read(in), readStrings(in),
                BinaryText.read(in), readStrings(in));
        String bundleVersion = BinaryText.read(in);
        String version = format >= 3 ? BinaryText.read(in) : RuleGuidanceTags.version(tags);
        RuleIdentity rule = new RuleIdentity(name, priority, tags, source, description, guidance, bundleVersion,
                version);

        EventReference event = new EventReference(BinaryText.read(in), BinaryText.read(in), in.readLong(),
                BinaryText.read(in), BinaryText.read(in));

        EventSubject.Builder sb = EventSubject.builder()
                .principalArn(BinaryText.read(in))
                .principalName(BinaryText.read(in))
                .principalType(BinaryText.read(in))
                .principalAccount(BinaryText.read(in))
                .accessKeyId(BinaryText.read(in))
                .sourceIp(BinaryText.read(in))
                .userAgent(BinaryText.read(in))
                .eventSource(BinaryText.read(in))
                .eventName(BinaryText.read(in))
                .errorCode(BinaryText.read(in));
        int resources = in.readInt();
        for (int i = 0; i < resources; i++) {
            ResourceKind kind = KINDS[in.readUnsignedByte()];
            sb.resource(kind, BinaryText.read(in), BinaryText.read(in));
        }

        String output = BinaryText.read(in);
        Map<String, Object> fields = readMap(in);
        String hostname = BinaryText.read(in);
        RateSummary rate = in.readBoolean() ? readRate(in) : null;
        IncidentSummary incident = in.readBoolean() ? readIncident(in) : null;
        return Alert.builder().rule(rule).event(event).subject(sb.build()).output(output).outputFields(fields)
                .hostname(hostname).rate(rate).incident(incident).build();
    }

    /** Reads format 1, the untyped alert (no subject, no rule description: those stay empty). */
    public static Alert readFormat1(DataInputView in) throws IOException {
        String time = BinaryText.read(in);
        long millis = in.readLong();
        String rule = BinaryText.read(in);
        String priorityText = BinaryText.read(in);
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
        Priority priority = Priority.ofLevel(priorityText);
        if (priority == null) {
            throw new IOException("format-1 alert with an unknown priority " + priorityText);
        }
        return Alert.builder()
                .rule(new RuleIdentity(rule, priority, tags, source, null, RuleGuidance.NONE, null))
                .event(new EventReference(eventId, time, millis, account, region))
                .output(output).outputFields(fields).hostname(hostname)
                .rate(aggregate == null ? null : AlertJson.rateOf(aggregate))
                .build();
    }

    private static void writeRate(RateSummary r, DataOutputView out) throws IOException {
        BinaryText.write(r.type(), out);
        BinaryText.write(r.condition(), out);
        out.writeLong(r.timespanMillis());
        out.writeInt(r.group().size());
        for (Map.Entry<String, String> e : r.group().entrySet()) {
            BinaryText.write(e.getKey(), out);
            BinaryText.write(e.getValue(), out);
        }
        out.writeLong(r.count());
        writeOptionalLong(r.distinct(), out);
        writeOptionalLong(r.steps(), out);
        out.writeBoolean(r.value() != null);
        if (r.value() != null) {
            out.writeDouble(r.value());
        }
        out.writeBoolean(r.values() != null);
        if (r.values() != null) {
            writeStrings(r.values(), out);
        }
        out.writeLong(r.windowStart());
        out.writeLong(r.windowEnd());
        out.writeLong(r.firstTime());
        out.writeLong(r.lastTime());
        BinaryText.write(r.firstEventId(), out);
        BinaryText.write(r.lastEventId(), out);
        writeStrings(r.eventIds(), out);
    }

    private static RateSummary readRate(DataInputView in) throws IOException {
        String type = BinaryText.read(in);
        String condition = BinaryText.read(in);
        long timespan = in.readLong();
        int n = in.readInt();
        Map<String, String> group = new LinkedHashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            group.put(BinaryText.read(in), BinaryText.read(in));
        }
        long count = in.readLong();
        Long distinct = readOptionalLong(in);
        Long steps = readOptionalLong(in);
        Double value = in.readBoolean() ? in.readDouble() : null;
        List<String> values = in.readBoolean() ? readStrings(in) : null;
        return new RateSummary(type, condition, timespan, group, count, distinct, steps, value, values,
                in.readLong(), in.readLong(), in.readLong(), in.readLong(), BinaryText.read(in), BinaryText.read(in),
                readStrings(in));
    }

    private static void writeOptionalLong(Long v, DataOutputView out) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeLong(v);
        }
    }

    private static Long readOptionalLong(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    private static void writeStrings(List<String> list, DataOutputView out) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            BinaryText.write(s, out);
        }
    }

    private static List<String> readStrings(DataInputView in) throws IOException {
        int n = in.readInt();
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(BinaryText.read(in));
        }
        return list;
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

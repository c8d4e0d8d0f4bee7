package io.trailguard.job.serde;

import io.trailguard.rules.engine.Priority;
import io.trailguard.rules.incident.Actor;
import io.trailguard.rules.incident.Evidence;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of {@link Evidence} in the incident stage's checkpointed state: its fields in order, each string
 * with a presence flag, the priority by name (so reordering the enum never changes what state means), lists with a
 * count. The serializers that use it lead each value with their format version.
 */
final class EvidenceCodec {
    private EvidenceCodec() {
    }

    static void write(Evidence e, DataOutputView out) throws IOException {
        text(e.rule(), out);
        text(e.priority().name(), out);
        text(e.eventId(), out);
        out.writeLong(e.timeMillis());
        text(e.findingId(), out);
        Actor a = e.actor();
        text(a.principalArn(), out);
        text(a.accessKeyId(), out);
        text(a.principalName(), out);
        text(a.sourceAddress(), out);
        text(e.account(), out);
        text(e.region(), out);
        list(e.tactics(), out);
        list(e.techniques(), out);
    }

    static Evidence read(DataInputView in) throws IOException {
        String rule = text(in);
        String priorityName = text(in);
        Priority p;
        try {
            p = Priority.valueOf(priorityName);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("corrupt incident state: priority " + priorityName);
        }
        String eventId = text(in);
        long time = in.readLong();
        String findingId = text(in);
        Actor actor = new Actor(text(in), text(in), text(in), text(in));
        String account = text(in);
        String region = text(in);
        List<String> tactics = list(in);
        List<String> techniques = list(in);
        return new Evidence(rule, p, eventId, time, findingId, actor, account, region, tactics, techniques);
    }

    static void text(String s, DataOutputView out) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            StringValue.writeString(s, out);
        }
    }

    static String text(DataInputView in) throws IOException {
        return in.readBoolean() ? StringValue.readString(in) : null;
    }

    private static void list(List<String> items, DataOutputView out) throws IOException {
        out.writeInt(items.size());
        for (String s : items) {
            StringValue.writeString(s, out);
        }
    }

    private static List<String> list(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("corrupt incident state: list of " + n);
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(StringValue.readString(in));
        }
        return out;
    }
}

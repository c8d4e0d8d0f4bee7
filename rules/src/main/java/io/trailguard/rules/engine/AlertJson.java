package io.trailguard.rules.engine;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.GeneratorText;
import io.trailguard.rules.event.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alert's JSON line, the replay contract:
 * {@code {"time","rule","priority","source","tags","output","output_fields","hostname","event_id","account","region"}},
 * then {@code "aggregate":{…}} for rate rules, {@code "incident":{…}} for incident alerts, {@code "subject":{…}} (the {@link EventSubject}, when anything is
 * known) and {@code "rule_info":{…}} (description, bundle version, {@link RuleGuidance}, and the rule version when
 * its tags do not carry it: {@code rule_version}, a Sigma rule's date; when present). Absent
 * parts are left out of the last two objects. Lines written before {@code subject} and {@code rule_info} existed
 * read back with an empty subject and no rule info. Control characters are escaped, so a line never spans lines.
 */
public final class AlertJson {
    private AlertJson() {
    }

    public static String write(Alert a) {
        AlertLineParts p = a.lineParts();
        if (p != null) {
            return head(p) + ruleHead(a.rule()) + tail(p) + ruleInfoMembers(a.rule()) + "}";
        }
        return writeMembers(a);
    }

    /** The line written member by member (what {@link #write} assembles from shared parts when it can). */
    static String writeMembers(Alert a) {
        TextWriter out = new TextWriter(1536);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            RuleIdentity r = a.rule();
            EventReference e = a.event();
            g.writeStartObject();
            g.writeStringField("time", e.time());
            g.writeRaw(ruleHead(r));
            g.writeStringField("output", a.output());
            g.writeObjectFieldStart("output_fields");
            for (Map.Entry<String, Object> f : a.outputFields().entrySet()) {
                g.writeFieldName(f.getKey());
                writeValue(g, f.getValue());
            }
            g.writeEndObject();
            g.writeStringField("hostname", a.hostname());
            g.writeStringField("event_id", e.id());
            g.writeStringField("account", e.account());
            g.writeStringField("region", e.region());
            if (a.rate() != null) {
                g.writeFieldName("aggregate");
                writeValue(g, a.rate().toMap());
            }
            if (a.incident() != null) {
                writeIncident(g, a.incident());
            }
            writeSubject(g, a.subject());
            g.writeRaw(ruleInfoMembers(r));
            g.writeEndObject();
            g.close();
            return out.toString();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * The members that depend only on the rule, after {@code time}: {@code ,"rule":…,"priority":…,"source":…,
     * "tags":[…]}. Written once per rule identity and kept on it (every alert of the rule repeats them).
     */
    private static String ruleHead(RuleIdentity r) {
        String head = r.jsonHead;
        if (head == null) {
            head = members(g -> {
                g.writeStringField("rule", r.name());
                g.writeStringField("priority", r.priority().display());
                g.writeStringField("source", r.source());
                g.writeArrayFieldStart("tags");
                for (String t : r.tags()) {
                    g.writeString(t);
                }
                g.writeEndArray();
            });
            r.jsonHead = head;
        }
        return head;
    }

    /**
     * The opening of the line and its {@code time} member, kept on the parts (an alert with parts has no rate or
     * incident part: those come after the parts' members).
     */
    private static String head(AlertLineParts p) {
        String head = p.head;
        if (head == null) {
            writeParts(p);
            head = p.head;
        }
        return head;
    }

    /** The members from {@code output} to {@code region}, then the subject's: kept on the parts. */
    private static String tail(AlertLineParts p) {
        String tail = p.tail;
        if (tail == null) {
            writeParts(p);
            tail = p.tail;
        }
        return tail;
    }

    /**
     * Writes the parts' members as {@link #writeMembers} writes them around the rule's (by {@link GeneratorText},
     * which writes as the generator does): the text up to the end of {@code time} is the head, the rest but the closing
     * brace is the tail. Output field values that only the generator writes (doubles, maps) take the generator.
     */
    private static void writeParts(AlertLineParts p) {
        StringBuilder out = new StringBuilder(2048);
        GeneratorText.string(out.append("{\"time\":"), p.event.time());
        int cut = out.length();
        GeneratorText.member(out, "output", p.output).append(",\"output_fields\":{");
        boolean first = true;
        for (Map.Entry<String, Object> f : p.fields.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            if (f.getKey() == null
                    || !GeneratorText.value(GeneratorText.string(out, f.getKey()).append(':'), f.getValue())) {
                writePartsByGenerator(p);
                return;
            }
        }
        out.append('}');
        GeneratorText.member(out, "hostname", p.hostname);
        GeneratorText.member(out, "event_id", p.event.id());
        GeneratorText.member(out, "account", p.event.account());
        GeneratorText.member(out, "region", p.event.region());
        out.append(subjectMembers(p.subject));
        p.tail = out.substring(cut);
        p.head = out.substring(0, cut);
    }

    /** {@link #writeParts} with one generator (the generator puts the comma before {@code output}). */
    private static void writePartsByGenerator(AlertLineParts p) {
        TextWriter out = new TextWriter(1024);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", p.event.time());
            g.flush();
            int cut = out.length();
            g.writeStringField("output", p.output);
            g.writeObjectFieldStart("output_fields");
            for (Map.Entry<String, Object> f : p.fields.entrySet()) {
                g.writeFieldName(f.getKey());
                writeValue(g, f.getValue());
            }
            g.writeEndObject();
            g.writeStringField("hostname", p.hostname);
            g.writeStringField("event_id", p.event.id());
            g.writeStringField("account", p.event.account());
            g.writeStringField("region", p.event.region());
            g.writeRaw(subjectMembers(p.subject));
            g.writeEndObject();
            g.close();
            String text = out.toString();
            p.tail = text.substring(cut, text.length() - 1);
            p.head = text.substring(0, cut);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** {@code ,"rule_info":{…}} or nothing, kept on the rule identity. */
    private static String ruleInfoMembers(RuleIdentity r) {
        String info = r.jsonInfo;
        if (info == null) {
            info = members(g -> writeRuleInfo(g, r));
            r.jsonInfo = info;
        }
        return info;
    }

    /**
     * {@code ,"subject":{…}} or nothing, kept on the subject (the alerts of one event share it); by
     * {@link GeneratorText}, as {@link #writeSubject} writes it with a generator.
     */
    static String subjectMembers(EventSubject s) {
        String json = s.json;
        if (json == null) {
            json = subjectText(s);
            s.json = json;
        }
        return json;
    }

    private static String subjectText(EventSubject s) {
        if (s.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(512).append(",\"subject\":{");
        int start = out.length();
        GeneratorText.optional(out, "principal_arn", s.principalArn());
        GeneratorText.optional(out, "principal_name", s.principalName());
        GeneratorText.optional(out, "principal_type", s.principalType());
        GeneratorText.optional(out, "principal_account", s.principalAccount());
        GeneratorText.optional(out, "access_key_id", s.accessKeyId());
        GeneratorText.optional(out, "source_ip", s.sourceIp());
        GeneratorText.optional(out, "user_agent", s.userAgent());
        GeneratorText.optional(out, "event_source", s.eventSource());
        GeneratorText.optional(out, "event_name", s.eventName());
        GeneratorText.optional(out, "error_code", s.errorCode());
        if (!s.resources().isEmpty()) {
            out.append(",\"resources\":[");
            boolean first = true;
            for (TargetResource t : s.resources()) {
                out.append(first ? "{" : ",{");
                first = false;
                GeneratorText.string(out.append("\"kind\":"), t.kind().wireName());
                GeneratorText.member(out, "value", t.value());
                GeneratorText.optional(out, "from", t.from());
                out.append('}');
            }
            out.append(']');
        }
        if (out.length() > start) {
            out.deleteCharAt(start); // the comma before the first member
        }
        return out.append('}').toString();
    }

    /** Writes object members on their own generator. */
    private interface Members {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * The members {@code m} writes, as this writer prints them inside an object that already has a member: each
     * preceded by a comma; empty when {@code m} writes none. Written with the same generator settings, so that
     * raw-copying them into an alert gives the bytes writing them in place would.
     */
    private static String members(Members m) {
        TextWriter out = new TextWriter(512);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            m.write(g);
            g.writeEndObject();
            g.close();
            String obj = out.toString();
            return obj.length() == 2 ? "" : "," + obj.substring(1, obj.length() - 1);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The line as a JSON tree. */
    public static com.fasterxml.jackson.databind.node.ObjectNode tree(Alert a) {
        try {
            return (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(write(a));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code "incident":{"id","version","principal","source_addresses","first","last","score","tactics","techniques",
     * "members":[{"rule","priority","event_id","time","finding_id"}...]}}.
     */
    private static void writeIncident(JsonGenerator g, IncidentSummary s) throws IOException {
        g.writeObjectFieldStart("incident");
        g.writeStringField("id", s.id());
        g.writeNumberField("version", s.version());
        g.writeStringField("principal", s.principal());
        g.writeArrayFieldStart("source_addresses");
        for (String a : s.sourceAddresses()) {
            g.writeString(a);
        }
        g.writeEndArray();
        g.writeStringField("first", RuleSet.isoTime(s.firstMillis()));
        g.writeStringField("last", RuleSet.isoTime(s.lastMillis()));
        g.writeNumberField("score", s.score());
        g.writeArrayFieldStart("tactics");
        for (String t : s.tactics()) {
            g.writeString(t);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("techniques");
        for (String t : s.techniques()) {
            g.writeString(t);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("members");
        for (IncidentMember m : s.members()) {
            g.writeStartObject();
            g.writeStringField("rule", m.rule());
            g.writeStringField("priority", m.priority());
            g.writeStringField("event_id", m.eventId());
            g.writeStringField("time", m.time());
            g.writeStringField("finding_id", m.findingId());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static IncidentSummary readIncident(JsonNode n) {
        List<IncidentMember> members = new ArrayList<>();
        for (JsonNode m : n.path("members")) {
            members.add(new IncidentMember(text(m, "rule"), text(m, "priority"), text(m, "event_id"),
                    time(m, "time"), text(m, "finding_id")));
        }
        return new IncidentSummary(text(n, "id"), n.path("version").asInt(), text(n, "principal"),
                texts(n.path("source_addresses")), time(n, "first"), time(n, "last"), n.path("score").asInt(),
                texts(n.path("tactics")), texts(n.path("techniques")), members);
    }

    private static void writeSubject(JsonGenerator g, EventSubject s) throws IOException {
        if (s.isEmpty()) {
            return;
        }
        g.writeObjectFieldStart("subject");
        opt(g, "principal_arn", s.principalArn());
        opt(g, "principal_name", s.principalName());
        opt(g, "principal_type", s.principalType());
        opt(g, "principal_account", s.principalAccount());
        opt(g, "access_key_id", s.accessKeyId());
        opt(g, "source_ip", s.sourceIp());
        opt(g, "user_agent", s.userAgent());
        opt(g, "event_source", s.eventSource());
        opt(g, "event_name", s.eventName());
        opt(g, "error_code", s.errorCode());
        if (!s.resources().isEmpty()) {
            g.writeArrayFieldStart("resources");
            for (TargetResource t : s.resources()) {
                g.writeStartObject();
                g.writeStringField("kind", t.kind().wireName());
                g.writeStringField("value", t.value());
                opt(g, "from", t.from());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void writeRuleInfo(JsonGenerator g, RuleIdentity r) throws IOException {
        RuleGuidance gd = r.guidance();
        boolean version = r.hasUntaggedVersion();
        if (r.description() == null && r.bundleVersion() == null && gd.isEmpty() && !version) {
            return;
        }
        g.writeObjectFieldStart("rule_info");
        opt(g, "description", r.description());
        opt(g, "bundle_version", r.bundleVersion());
        if (version) {
            g.writeStringField("rule_version", r.version());
        }
        opt(g, "remediation", gd.remediation());
        opt(g, "remediation_url", gd.remediationUrl());
        strings(g, "references", gd.references());
        opt(g, "runbook_url", gd.runbookUrl());
        strings(g, "false_positives", gd.falsePositives());
        g.writeEndObject();
    }

    private static void opt(JsonGenerator g, String key, String value) throws IOException {
        if (value != null) {
            g.writeStringField(key, value);
        }
    }

    private static void strings(JsonGenerator g, String key, List<String> values) throws IOException {
        if (values.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(key);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Long || v instanceof Integer) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double) {
            g.writeNumber((Double) v);
        } else if (v instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List) {
            g.writeStartArray();
            for (Object o : (List<?>) v) {
                g.writeString(String.valueOf(o));
            }
            g.writeEndArray();
        } else {
            g.writeString(v.toString());
        }
    }

    /** Parses an alert line; an unknown priority text is an error (every writer prints a {@link Priority}). */
    public static Alert read(String json) {
        JsonNode n;
        try {
            n = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not an alert: " + e.getOriginalMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not an alert: not a JSON object");
        }
        String ruleName = text(n, "rule");
        if (ruleName == null) {
            throw new IllegalArgumentException("not an alert: no rule");
        }
        Priority priority = Priority.ofLevel(text(n, "priority"));
        if (priority == null) {
            throw new IllegalArgumentException("not an alert: unknown priority " + text(n, "priority"));
        }
        List<String> tags = new ArrayList<>();
        for (JsonNode t : n.path("tags")) {
            tags.add(t.asText());
        }
        JsonNode info = n.path("rule_info");
        RuleGuidance guidance = new RuleGuidance(text(info, "remediation"), text(info, "remediation_url"),
                texts(info.path("references")), text(info, "runbook_url"), texts(info.path("false_positives")));
        String version = text(info, "rule_version");
        RuleIdentity rule = new RuleIdentity(ruleName, priority, tags, text(n, "source"), text(info, "description"),
                guidance, text(info, "bundle_version"), version != null ? version : RuleGuidanceTags.version(tags));
        LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
        n.path("output_fields").fields().forEachRemaining(e -> fields.put(e.getKey(), fromNode(e.getValue())));
        String time = text(n, "time");
        long millis = time == null ? 0 : CloudTrailEvent.parseTime(time);
        return Alert.builder()
                .rule(rule)
                .event(new EventReference(text(n, "event_id"), time, millis, text(n, "account"), text(n, "region")))
                .subject(readSubject(n.path("subject")))
                .output(text(n, "output"))
                .outputFields(fields)
                .hostname(text(n, "hostname"))
                .rate(n.hasNonNull("aggregate") ? readRate(n.get("aggregate")) : null)
                .incident(n.hasNonNull("incident") ? readIncident(n.get("incident")) : null)
                .build();
    }

    private static EventSubject readSubject(JsonNode s) {
        if (!s.isObject()) {
            return EventSubject.NONE;
        }
        EventSubject.Builder b = EventSubject.builder()
                .principalArn(text(s, "principal_arn"))
                .principalName(text(s, "principal_name"))
                .principalType(text(s, "principal_type"))
                .principalAccount(text(s, "principal_account"))
                .accessKeyId(text(s, "access_key_id"))
                .sourceIp(text(s, "source_ip"))
                .userAgent(text(s, "user_agent"))
                .eventSource(text(s, "event_source"))
                .eventName(text(s, "event_name"))
                .errorCode(text(s, "error_code"));
        for (JsonNode r : s.path("resources")) {
            b.resource(ResourceKind.ofWireName(text(r, "kind")), text(r, "value"), text(r, "from"));
        }
        return b.build();
    }

    /** A rate summary from its {@code aggregate} map form ({@link RateSummary#toMap}). */
    public static RateSummary rateOf(Map<String, Object> aggregate) {
        return readRate(Json.mapper().valueToTree(aggregate));
    }

    private static RateSummary readRate(JsonNode a) {
        Map<String, String> group = new LinkedHashMap<>();
        a.path("group").fields().forEachRemaining(e -> group.put(e.getKey(), e.getValue().isNull() ? null
                : e.getValue().asText()));
        return new RateSummary(text(a, "type"), text(a, "condition"), a.path("timespan_ms").asLong(), group,
                a.path("count").asLong(),
                a.hasNonNull("distinct") ? a.get("distinct").asLong() : null,
                a.hasNonNull("steps") ? a.get("steps").asLong() : null,
                a.hasNonNull("value") ? a.get("value").asDouble() : null,
                a.has("values") ? texts(a.get("values")) : null,
                time(a, "window_start"), time(a, "window_end"), time(a, "first_time"), time(a, "last_time"),
                text(a, "first_event_id"), text(a, "last_event_id"), texts(a.path("event_ids")));
    }

    private static long time(JsonNode n, String key) {
        String t = text(n, key);
        return t == null ? 0 : CloudTrailEvent.parseTime(t);
    }

    private static Object fromNode(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.longValue();
        }
        if (v.isArray()) {
            return texts(v);
        }
        return v.asText();
    }

    private static List<String> texts(JsonNode v) {
        List<String> list = new ArrayList<>();
        v.forEach(x -> list.add(x.asText()));
        return list;
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }
}

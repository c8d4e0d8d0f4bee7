package io.trailguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.rules.event.Json;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * CloudTrail records built from the Sigma rules' own detection items, so that the fidelity comparison exercises
 * every rule, and each item's edge cases, whatever the corpora hold. For each selection (and each map of a list
 * of maps), and for all of a rule's selections together, a base record gets the item values, then variants of it:
 * each value of a list in turn, the values in upper case (matching ignores case), each value as a member of an
 * array (any-member semantics), values for {@code contains} inside a nested object (matched as compact JSON text,
 * with a number and an escaped string around it), and near misses: each item's field removed, set to JSON null,
 * or set to a value that does not match. Whether a rule should fire is not known here; the test only requires the
 * naive engine and the engine to agree.
 */
final class SigmaTargetedEvents {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String BASE = "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\","
            + "\"principalId\":\"AIDAEXAMPLE\",\"arn\":\"arn:aws:iam::111122223333:user/alice\","
            + "\"accountId\":\"111122223333\",\"userName\":\"alice\"},\"eventTime\":\"2024-05-14T09:30:00Z\","
            + "\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"ListUsers\",\"awsRegion\":\"us-east-1\","
            + "\"sourceIPAddress\":\"203.0.113.45\",\"userAgent\":\"aws-cli/2.15.0\","
            + "\"requestParameters\":{\"userName\":\"bob\"},\"responseElements\":null,\"requestID\":\"r-1\","
            + "\"eventID\":\"e\",\"readOnly\":false,\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
            + "\"recipientAccountId\":\"111122223333\",\"eventCategory\":\"Management\"}";

    private SigmaTargetedEvents() {}

    /** One field assignment: a dotted path and its value ({@code null}: remove the field). */
    private static final class Assign {
        final String path;
        final JsonNode value;
        /** Set the path as one literal key of the record (a key with dots), not as nested objects. */
        final boolean literal;

        Assign(String path, JsonNode value) {
            this(path, value, false);
        }

        Assign(String path, JsonNode value, boolean literal) {
            this.path = path;
            this.value = value;
            this.literal = literal;
        }
    }

    static List<NaiveEngineFidelityTest.Labelled> of(List<Path> ruleFiles) {
        List<NaiveEngineFidelityTest.Labelled> out = new ArrayList<>();
        Load yaml = new Load(LoadSettings.builder().setSchema(new CoreSchema()).build());
        for (Path f : ruleFiles) {
            String text;
            try {
                text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (Object doc : yaml.loadAllFromString(text)) {
                if (!(doc instanceof Map) || !(((Map<?, ?>) doc).get("detection") instanceof Map)) {
                    continue;
                }
                String origin = "targeted " + f.getFileName();
                Map<?, ?> detection = (Map<?, ?>) ((Map<?, ?>) doc).get("detection");
                Map<String, Object> merged = new LinkedHashMap<>();
                for (Map.Entry<?, ?> id : detection.entrySet()) {
                    if (id.getKey().equals("condition")) {
                        continue;
                    }
                    List<Map<?, ?>> alternatives = new ArrayList<>();
                    if (id.getValue() instanceof Map) {
                        alternatives.add((Map<?, ?>) id.getValue());
                    } else if (id.getValue() instanceof List) {
                        for (Object a : (List<?>) id.getValue()) {
                            if (a instanceof Map) {
                                alternatives.add((Map<?, ?>) a);
                            }
                        }
                    }
                    for (Map<?, ?> items : alternatives) {
                        variants(items, origin + " " + id.getKey(), out);
                    }
                    if (!alternatives.isEmpty()) {
                        for (Map.Entry<?, ?> item : alternatives.get(0).entrySet()) {
                            merged.putIfAbsent(String.valueOf(item.getKey()), item.getValue());
                        }
                    }
                }
                variants(merged, origin + " all selections", out);
            }
        }
        return out;
    }

    /** The selection's record and its variants. */
    private static void variants(Map<?, ?> items, String origin, List<NaiveEngineFidelityTest.Labelled> out) {
        add(out, origin, assign(items, -1, Function.identity(), false));
        add(out, origin + " upper case", assign(items, -1, s -> s.toUpperCase(Locale.ROOT), false));
        add(out, origin + " in arrays", assign(items, -1, Function.identity(), true));
        int k = 0;
        for (Map.Entry<?, ?> item : items.entrySet()) {
            if (item.getValue() instanceof List) {
                for (int v = 1; v < ((List<?>) item.getValue()).size(); v++) {
                    Map<Object, Object> one = new LinkedHashMap<>(items);
                    one.put(item.getKey(), List.of(((List<?>) item.getValue()).get(v)));
                    add(out, origin + " value " + v, assign(one, -1, Function.identity(), false));
                }
            }
            String key = String.valueOf(item.getKey());
            String field = key.split("\\|")[0];
            List<Assign> base = assign(items, -1, Function.identity(), false);
            List<Assign> removed = new ArrayList<>(base);
            removed.add(new Assign(field, null));
            add(out, origin + " without " + field, removed);
            List<Assign> nulled = new ArrayList<>(base);
            nulled.add(new Assign(field, F.nullNode()));
            add(out, origin + " " + field + " null", nulled, true);
            add(out, origin + " " + field + " differs", assign(items, k, Function.identity(), false));
            int dot = field.lastIndexOf('.');
            JsonNode value = null;
            for (Assign a : base) {
                if (a.path.equals(field)) {
                    value = a.value;
                }
            }
            if (dot > 0 && value != null) {
                // the last object on the path is an array member: any-member semantics across arrays
                ObjectNode hit = F.objectNode();
                hit.set(field.substring(dot + 1), value);
                ObjectNode miss = F.objectNode();
                miss.put(field.substring(dot + 1), "zz-other");
                List<Assign> crossing = new ArrayList<>(base);
                crossing.add(new Assign(field.substring(0, dot), F.arrayNode().add(miss).add(hit)));
                add(out, origin + " " + field + " across an array", crossing);
                // a literal dotted key wins over the nested path, whichever matches
                List<Assign> literal = new ArrayList<>(base);
                literal.add(new Assign(field, null));
                literal.add(new Assign(field, value, true));
                add(out, origin + " " + field + " as a literal dotted key", literal);
                List<Assign> shadowed = new ArrayList<>(base);
                shadowed.add(new Assign(field, F.textNode("zz-no-match"), true));
                add(out, origin + " " + field + " shadowed by a literal dotted key", shadowed);
            }
            if (key.contains("|contains")) {
                List<Assign> nested = new ArrayList<>();
                for (Assign a : base) {
                    if (a.path.equals(field) && a.value != null && a.value.isTextual()) {
                        ObjectNode o = F.objectNode();
                        o.put("zeta", 1.50);
                        o.put("Alpha", "say \"hi\"\n");
                        o.set("mid", F.arrayNode().add(true).add(F.nullNode()).add(a.value));
                        nested.add(new Assign(field, o));
                    } else {
                        nested.add(a);
                    }
                }
                add(out, origin + " " + field + " nested", nested);
            }
            k++;
        }
    }

    /**
     * The assignments realising a selection's items: the first value of each (all values joined for |all), item
     * {@code differ} (index) with a value that matches nothing, strings transformed by {@code text}, values inside
     * arrays when {@code arrays}.
     */
    private static List<Assign> assign(Map<?, ?> items, int differ, Function<String, String> text, boolean arrays) {
        List<Assign> out = new ArrayList<>();
        int k = 0;
        for (Map.Entry<?, ?> item : items.entrySet()) {
            String[] key = String.valueOf(item.getKey()).split("\\|", -1);
            String field = key[0];
            List<String> mods = List.of(key).subList(1, key.length);
            List<?> values = item.getValue() instanceof List ? (List<?>) item.getValue()
                    : java.util.Collections.singletonList(item.getValue());
            Object first = values.isEmpty() ? null : values.get(0);
            JsonNode v;
            if (k++ == differ) {
                v = F.textNode("zz-no-match");
            } else if (mods.contains("fieldref")) {
                String other = String.valueOf(first);
                out.add(new Assign(other, F.textNode("Bob")));
                v = F.textNode(affix(mods, text.apply("bob")));
            } else if (first == null) {
                v = null;
            } else if (first instanceof Boolean) {
                v = F.booleanNode((Boolean) first);
            } else if (first instanceof Number) {
                v = F.numberNode(new BigDecimal(first.toString()));
            } else if (mods.contains("re")) {
                String re = String.valueOf(first).replace("^", "").replace("$", "").replace(".+", "x")
                        .replace(".*", "x").replace("\\.", ".");
                v = F.textNode(re);
            } else {
                StringBuilder sb = new StringBuilder();
                for (Object x : mods.contains("all") ? values : List.of(first)) {
                    if (sb.length() > 0) {
                        sb.append(' ');
                    }
                    sb.append(plain(String.valueOf(x)));
                }
                v = F.textNode(affix(mods, text.apply(sb.toString())));
            }
            if (arrays && v != null) {
                ArrayNode a = F.arrayNode();
                a.add("zz-other");
                a.add(v);
                v = a;
            }
            out.add(new Assign(field, v));
        }
        return out;
    }

    private static String affix(List<String> mods, String s) {
        if (mods.contains("contains")) {
            return "pre " + s + " post";
        }
        if (mods.contains("startswith")) {
            return s + "20150331v2";
        }
        if (mods.contains("endswith")) {
            return "pre/" + s;
        }
        return s;
    }

    /** A Sigma string with its wildcards filled in and its escapes removed. */
    private static String plain(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && "*?\\".indexOf(s.charAt(i + 1)) >= 0) {
                sb.append(s.charAt(++i));
            } else if (c == '*') {
                sb.append("x");
            } else if (c == '?') {
                sb.append('y');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void add(List<NaiveEngineFidelityTest.Labelled> out, String origin, List<Assign> assigns) {
        add(out, origin, assigns, false);
    }

    /** @param sigmaOnly the record has a JSON null in a field Falco rules read: compared on Sigma rules only */
    private static void add(List<NaiveEngineFidelityTest.Labelled> out, String origin, List<Assign> assigns,
                            boolean sigmaOnly) {
        ObjectNode rec;
        try {
            rec = (ObjectNode) Json.mapper().readTree(BASE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rec.put("eventID", UUID.nameUUIDFromBytes((origin + out.size()).getBytes(StandardCharsets.UTF_8)).toString());
        for (Assign a : assigns) {
            if (a.literal) {
                rec.set(a.path, a.value);
            } else {
                set(rec, a.path, a.value);
            }
        }
        try {
            out.add(new NaiveEngineFidelityTest.Labelled(origin, Json.mapper().writeValueAsBytes(rec), sigmaOnly));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets (or removes, for a null value) a dotted path, creating objects on the way. */
    private static void set(ObjectNode root, String path, JsonNode value) {
        String[] segments = path.split("\\.");
        ObjectNode o = root;
        for (int i = 0; i < segments.length - 1; i++) {
            JsonNode next = o.get(segments[i]);
            if (!(next instanceof ObjectNode)) {
                if (value == null) {
                    return;
                }
                next = o.putObject(segments[i]);
            }
            o = (ObjectNode) next;
        }
        if (value == null) {
            o.remove(segments[segments.length - 1]);
        } else {
            o.set(segments[segments.length - 1], value);
        }
    }
}

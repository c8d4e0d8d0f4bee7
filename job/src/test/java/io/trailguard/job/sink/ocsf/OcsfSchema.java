package io.trailguard.job.sink.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validator over the vendored OCSF schema files ({@code src/test/resources/ocsf-schema-VERSION}): it resolves a
 * class the way the OCSF schema compiles it (the {@code extends} chain, {@code $include}d profile attributes
 * annotated with their profile, the dictionary's types, arrays and enums, object and class overrides) and checks
 * an event against it:
 * <ul>
 *   <li>every attribute is known to its class or object (and, when it belongs to a profile, that profile is in
 *       {@code metadata.profiles}); no deprecated attribute is used;</li>
 *   <li>every required attribute is present, and each object's {@code at_least_one}/{@code just_one} constraint
 *       holds;</li>
 *   <li>values have their type (string, integer, long, float, boolean, object, array), type regex, length and range;
 *       enum values are the enum's ids and a sibling caption ({@code severity} of {@code severity_id}) is the id's
 *       caption unless the id is 99 (Other);</li>
 *   <li>{@code class_uid}, {@code category_uid}, {@code type_uid} (class_uid * 100 + activity_id) and
 *       {@code metadata.version} agree with the schema.</li>
 * </ul>
 * Each problem is one message with its JSON path.
 */
public final class OcsfSchema {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String root;
    private final String version;
    private final JsonNode dictionary;
    private final JsonNode types;
    private final JsonNode categories;
    private final Map<String, Map<String, ObjectNode>> resolved = new HashMap<>();
    private final Map<String, JsonNode> constraints = new HashMap<>();
    private final Map<String, JsonNode> classes = new HashMap<>();

    private OcsfSchema(String root) {
        this.root = root;
        this.version = read("version.json").path("version").asText();
        this.dictionary = read("dictionary.json").path("attributes");
        this.types = read("dictionary.json").path("types").path("attributes");
        this.categories = read("categories.json").path("attributes");
    }

    /** The schema vendored under the class-path directory {@code root} (e.g. {@code ocsf-schema-1.8.0}). */
    public static OcsfSchema load(String root) {
        return new OcsfSchema(root);
    }

    public String version() {
        return version;
    }

    /** The problems of {@code event} as an instance of the class in {@code classFile} (e.g. events/findings/detection_finding.json). */
    public List<String> validate(JsonNode event, String classFile) {
        List<String> errors = new ArrayList<>();
        JsonNode cls = classDef(classFile);
        // the class's own uid and category replace base_event's enums of class_uid and category_uid (checked below)
        Map<String, ObjectNode> attrs = new LinkedHashMap<>(attributes(classFile, true));
        for (String id : new String[] {"class_uid", "category_uid"}) {
            ObjectNode spec = attrs.get(id).deepCopy();
            spec.remove("enum");
            attrs.put(id, spec);
        }
        Set<String> profiles = new HashSet<>();
        for (JsonNode p : event.path("metadata").path("profiles")) {
            profiles.add(p.asText());
        }
        checkObject(event, attrs, constraintsOf(classFile), profiles, "$", errors);
        JsonNode category = categories.path(inheritedCategory(classFile));
        int classUid = category.path("uid").asInt() * 1000 + cls.path("uid").asInt();
        expect(event, "class_uid", classUid, errors);
        expect(event, "category_uid", category.path("uid").asInt(), errors);
        expect(event, "type_uid", (long) classUid * 100 + event.path("activity_id").asLong(), errors);
        if (event.has("class_name") && !event.path("class_name").asText().equals(cls.path("caption").asText())) {
            errors.add("$.class_name: '" + event.path("class_name").asText() + "' is not '" + cls.path("caption").asText() + "'");
        }
        if (event.has("category_name")
                && !event.path("category_name").asText().equals(category.path("caption").asText())) {
            errors.add("$.category_name: '" + event.path("category_name").asText() + "' is not '"
                    + category.path("caption").asText() + "'");
        }
        if (!version.equals(event.path("metadata").path("version").asText())) {
            errors.add("$.metadata.version: '" + event.path("metadata").path("version").asText()
                    + "' is not the schema's version " + version);
        }
        return errors;
    }

    private String inheritedCategory(String classFile) {
        JsonNode def = classDef(classFile);
        while (!def.has("category") && def.has("extends")) {
            def = classDef(classFileOf(def.path("extends").asText()));
        }
        return def.path("category").asText();
    }

    private static void expect(JsonNode event, String field, long value, List<String> errors) {
        if (!event.has(field) || event.path(field).asLong() != value) {
            errors.add("$." + field + ": " + event.path(field) + " is not " + value);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // checking

    private void checkObject(JsonNode node, Map<String, ObjectNode> attrs, JsonNode constraint, Set<String> profiles,
                             String path, List<String> errors) {
        if (!node.isObject()) {
            errors.add(path + ": not an object");
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            ObjectNode spec = attrs.get(name);
            String at = path + "." + name;
            if (spec == null) {
                errors.add(at + ": unknown attribute");
                continue;
            }
            String profile = profileOf(spec);
            if (profile != null && !profiles.contains(profile)) {
                errors.add(at + ": attribute of profile '" + profile + "', which metadata.profiles does not name");
            }
            if (spec.has("@deprecated")) {
                errors.add(at + ": deprecated since " + spec.path("@deprecated").path("since").asText());
            }
            checkValue(e.getValue(), spec, profiles, at, errors);
            checkSibling(node, name, spec, at, errors);
        }
        for (Map.Entry<String, ObjectNode> a : attrs.entrySet()) {
            String profile = profileOf(a.getValue());
            boolean applies = profile == null || profiles.contains(profile);
            if (applies && "required".equals(a.getValue().path("requirement").asText()) && !present(node, a.getKey())) {
                errors.add(path + "." + a.getKey() + ": required attribute is missing");
            }
        }
        if (constraint != null) {
            checkConstraint(node, constraint.path("at_least_one"), 1, Integer.MAX_VALUE, "at least one", path, errors);
            checkConstraint(node, constraint.path("just_one"), 1, 1, "exactly one", path, errors);
        }
    }

    private static boolean present(JsonNode node, String name) {
        return node.has(name) && !node.get(name).isNull();
    }

    private static void checkConstraint(JsonNode node, JsonNode names, int min, int max, String what, String path,
                                        List<String> errors) {
        if (!names.isArray() || names.size() == 0) {
            return;
        }
        int n = 0;
        List<String> list = new ArrayList<>();
        for (JsonNode x : names) {
            list.add(x.asText());
            if (present(node, x.asText())) {
                n++;
            }
        }
        if (n < min || n > max) {
            errors.add(path + ": needs " + what + " of " + list + ", has " + n);
        }
    }

    private void checkSibling(JsonNode node, String name, ObjectNode spec, String at, List<String> errors) {
        String sibling = spec.path("sibling").asText(null);
        JsonNode enumDef = spec.get("enum");
        if (sibling == null || enumDef == null || !node.has(sibling)) {
            return;
        }
        String id = node.get(name).asText();
        if (id.equals("99") || !enumDef.has(id)) {
            return;
        }
        String caption = enumDef.path(id).path("caption").asText();
        if (!caption.equals(node.get(sibling).asText())) {
            errors.add(at + ": " + sibling + " '" + node.get(sibling).asText() + "' is not the caption '" + caption
                    + "' of " + name + " " + id);
        }
    }

    private void checkValue(JsonNode value, ObjectNode spec, Set<String> profiles, String at, List<String> errors) {
        if (spec.path("is_array").asBoolean(false)) {
            if (!value.isArray()) {
                errors.add(at + ": not an array");
                return;
            }
            int i = 0;
            for (JsonNode v : value) {
                checkOne(v, spec, profiles, at + "[" + i++ + "]", errors);
            }
            return;
        }
        if (value.isArray()) {
            errors.add(at + ": an array where one value is expected");
            return;
        }
        checkOne(value, spec, profiles, at, errors);
    }

    private void checkOne(JsonNode v, ObjectNode spec, Set<String> profiles, String at, List<String> errors) {
        String type = spec.path("type").asText();
        if (v.isNull()) {
            errors.add(at + ": null (leave the attribute out instead)");
            return;
        }
        if (type.equals("object") || type.equals("json_t")) {
            if (type.equals("object") && !v.isObject()) {
                errors.add(at + ": not an object");
            }
            return;
        }
        if (!type.endsWith("_t")) {
            String file = "objects/" + type + ".json";
            checkObject(v, attributes(file, false), constraintsOf(file), profiles, at, errors);
            return;
        }
        checkScalar(v, type, at, errors);
        JsonNode enumDef = spec.get("enum");
        if (enumDef != null && !enumDef.has(v.asText())) {
            errors.add(at + ": " + v + " is not one of the enum ids " + iterable(enumDef.fieldNames()));
        }
    }

    private void checkScalar(JsonNode v, String type, String at, List<String> errors) {
        JsonNode t = types.path(type);
        String base = type;
        while (types.path(base).has("type")) {
            base = types.path(base).path("type").asText();
        }
        switch (base) {
            case "string_t":
                if (!v.isTextual()) {
                    errors.add(at + ": " + type + " needs a string, not " + v.getNodeType());
                    return;
                }
                break;
            case "integer_t":
                if (!v.isInt()) {
                    errors.add(at + ": " + type + " needs a 32-bit integer, not " + v);
                    return;
                }
                break;
            case "long_t":
                if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                    errors.add(at + ": " + type + " needs a long integer, not " + v);
                    return;
                }
                break;
            case "float_t":
                if (!v.isNumber()) {
                    errors.add(at + ": " + type + " needs a number, not " + v);
                    return;
                }
                break;
            case "boolean_t":
                if (!v.isBoolean()) {
                    errors.add(at + ": " + type + " needs true or false, not " + v);
                    return;
                }
                break;
            default:
                errors.add(at + ": unknown type " + type);
                return;
        }
        if (t.has("regex") && !Pattern.compile(t.path("regex").asText()).matcher(v.asText()).find()) {
            errors.add(at + ": '" + v.asText() + "' does not match the " + type + " pattern");
        }
        if (t.has("max_len") && v.asText().length() > t.path("max_len").asInt()) {
            errors.add(at + ": longer than " + t.path("max_len").asInt() + " characters");
        }
        if (t.has("range") && (v.asLong() < t.path("range").get(0).asLong() || v.asLong() > t.path("range").get(1).asLong())) {
            errors.add(at + ": " + v + " is outside " + t.path("range"));
        }
    }

    private static String profileOf(ObjectNode spec) {
        JsonNode p = spec.get("profile");
        return p == null || p.isNull() ? null : p.asText();
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    // ------------------------------------------------------------------------------------------------------------
    // resolving

    private JsonNode classDef(String file) {
        return classes.computeIfAbsent(file, this::read);
    }

    private static String classFileOf(String name) {
        switch (name) {
            case "base_event":
                return "events/base_event.json";
            default:
                return "events/findings/" + name + ".json";
        }
    }

    private JsonNode constraintsOf(String file) {
        if (!constraints.containsKey(file)) {
            JsonNode def = read(file);
            JsonNode c = def.get("constraints");
            while (c == null && def.has("extends") && !def.path("extends").asText().equals("object")) {
                def = read("objects/" + def.path("extends").asText() + ".json");
                c = def.get("constraints");
            }
            constraints.put(file, c);
        }
        return constraints.get(file);
    }

    /** The attributes of a class or object file, each the dictionary's definition overlaid by the file's. */
    private Map<String, ObjectNode> attributes(String file, boolean isClass) {
        Map<String, ObjectNode> cached = resolved.get(file);
        if (cached != null) {
            return cached;
        }
        JsonNode def = read(file);
        Map<String, ObjectNode> attrs = new LinkedHashMap<>();
        String parent = def.path("extends").asText(null);
        if (parent != null && !parent.equals("object")) {
            String parentFile = isClass ? classFileOf(parent) : "objects/" + parent + ".json";
            for (Map.Entry<String, ObjectNode> e : attributes(parentFile, isClass).entrySet()) {
                attrs.put(e.getKey(), e.getValue().deepCopy());
            }
        }
        JsonNode own = def.path("attributes");
        for (JsonNode include : own.path("$include")) {
            JsonNode inc = read(include.asText());
            String profile = "profile".equals(inc.path("meta").asText()) ? inc.path("name").asText() : null;
            for (Iterator<Map.Entry<String, JsonNode>> it = inc.path("attributes").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                ObjectNode spec = overlay(attrs.get(e.getKey()), e.getKey(), (ObjectNode) e.getValue());
                if (profile != null && !e.getValue().has("profile")) {
                    spec.put("profile", profile);
                }
                attrs.put(e.getKey(), spec);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = own.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("$include")) {
                attrs.put(e.getKey(), overlay(attrs.get(e.getKey()), e.getKey(), (ObjectNode) e.getValue()));
            }
        }
        resolved.put(file, attrs);
        return attrs;
    }

    /** {@code base} (or the dictionary's definition) with {@code over}'s keys on top; enums are merged. */
    private ObjectNode overlay(ObjectNode base, String name, ObjectNode over) {
        ObjectNode out;
        if (base != null) {
            out = base.deepCopy();
        } else {
            JsonNode dict = dictionary.get(name);
            if (dict == null) {
                throw new IllegalStateException("attribute '" + name + "' is not in the dictionary");
            }
            out = ((ObjectNode) dict).deepCopy();
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("enum") && out.has("enum")) {
                ((ObjectNode) out.get("enum")).setAll((ObjectNode) e.getValue());
            } else {
                out.set(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private JsonNode read(String file) {
        String path = root + "/" + file;
        try (InputStream in = OcsfSchema.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("schema file " + path + " is not vendored");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

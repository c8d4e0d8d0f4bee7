package io.trailguard.rules.field;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.rules.event.CloudTrailEvent;
import io.trailguard.rules.event.Json;

/**
 * {@code json.value[/ptr]} and its alias {@code jevt.value[/ptr]}: an RFC 6901 pointer into the CloudTrail
 * record (for an EventBridge envelope, into {@code detail}). A leading '/' is optional as in Falco's json plugin;
 * numeric tokens index arrays. A string yields its text; any other value (including JSON null) its compact
 * JSON text; a missing path is absent.
 */
final class JsonPointerField implements Field {
    private final String name;
    private final JsonPointer pointer;

    JsonPointerField(String prefix, String arg) {
        if (arg == null) {
            throw new UnknownFieldException("field '" + prefix + "' requires an argument, e.g. " + prefix + "[/eventName]");
        }
        this.name = prefix + "[" + arg + "]";
        String ptr = arg.isEmpty() || arg.startsWith("/") ? arg : "/" + arg;
        try {
            this.pointer = JsonPointer.compile(ptr);
        } catch (IllegalArgumentException e) {
            throw new UnknownFieldException("invalid JSON pointer '" + arg + "' in " + name + ": " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ValueType type() {
        return ValueType.STRING;
    }

    @Override
    public Object extract(CloudTrailEvent event) {
        JsonNode node = event.record().at(pointer);
        if (node.isMissingNode()) {
            return null;
        }
        return node.isTextual() ? node.textValue() : Json.compact(node);
    }
}

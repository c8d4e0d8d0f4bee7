package io.trailguard.rules.field;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.trailguard.rules.event.Json;

/**
 * {@code json.value[/ptr]} and its alias {@code jevt.value[/ptr]}: an RFC 6901 pointer into the CloudTrail
 * record (for an EventBridge envelope, into {@code detail}). A leading '/' is optional as in Falco's json plugin;
 * numeric tokens index arrays. A string yields its text; any other value (including JSON null) its compact
 * JSON text; a missing path is absent.
 */
final class JsonPointerField {
    private JsonPointerField() {
    }

    static Field of(String prefix, String arg) {
        if (arg == null) {
            throw new UnknownFieldException("field '" + prefix + "' requires an argument, e.g. " + prefix + "[/eventName]");
        }
        String name = prefix + "[" + arg + "]";
        String ptr = arg.isEmpty() || arg.startsWith("/") ? arg : "/" + arg;
        JsonPointer pointer;
        try {
            pointer = JsonPointer.compile(ptr);
        } catch (IllegalArgumentException e) {
            throw new UnknownFieldException("invalid JSON pointer '" + arg + "' in " + name + ": " + e.getMessage());
        }
        return CatalogueField.ofRecord(name, ValueType.STRING, record -> {
            JsonNode node = record.at(pointer);
            if (node.isMissingNode()) {
                return null;
            }
            return node.isTextual() ? node.textValue() : Json.compact(node);
        });
    }
}

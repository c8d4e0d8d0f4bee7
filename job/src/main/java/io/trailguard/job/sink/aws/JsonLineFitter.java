package io.trailguard.job.sink.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.trailguard.rules.event.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Makes a JSON line fit a byte limit and stay valid JSON: the longest strings are cut first (ending with
 * {@link Text#ELLIPSIS}), then the longest arrays, and the object gets {@code "truncated":true}. A line that is not
 * JSON is cut at a UTF-8 character boundary. Lines that fit are returned unchanged (unpaired surrogates repaired).
 */
public final class JsonLineFitter {
    /** Shortest a string is cut to while others are longer. */
    private static final int MIN_STRING_CHARS = 32;
    private static final int MAX_ROUNDS = 200;

    private JsonLineFitter() {
    }

    public static String fit(String line, int maxBytes) {
        String s = Text.repairSurrogates(line == null ? "" : line);
        if (s.isEmpty()) {
            return "{}";
        }
        if (Text.utf8Length(s) <= maxBytes) {
            return s;
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(s);
        } catch (JsonProcessingException | RuntimeException e) {
            root = null;
        }
        if (!(root instanceof ContainerNode)) {
            char c0 = s.trim().isEmpty() ? ' ' : s.trim().charAt(0);
            // Text stays text; something that meant to be JSON (too deep, too long a string) becomes a valid stub.
            return c0 == '{' || c0 == '[' ? stub(Json.mapper().createObjectNode(), s, maxBytes)
                    : Text.truncateUtf8(s, maxBytes);
        }
        if (root instanceof ObjectNode) {
            ((ObjectNode) root).put("truncated", true);
        }
        String out = write(root);
        for (int round = 0; round < MAX_ROUNDS && Text.utf8Length(out) > maxBytes; round++) {
            long excess = Text.utf8Length(out) - (long) maxBytes;
            if (!cutLongestString(root, excess) && !cutLongestArray(root)) {
                break;
            }
            out = write(root);
        }
        if (Text.utf8Length(out) <= maxBytes) {
            return Text.repairSurrogates(out);
        }
        // Pathological shape (e.g. thousands of keys): keep a valid stub with the start of the line.
        return stub(root, s, maxBytes);
    }

    private static String stub(JsonNode root, String s, int maxBytes) {
        ObjectNode stub = Json.mapper().createObjectNode();
        stub.put("truncated", true);
        for (String key : new String[] {"type", "time", "rule", "priority", "event_id", "account", "region"}) {
            JsonNode v = root.get(key);
            if (v != null && v.isValueNode()) {
                stub.put(key, Text.truncateChars(v.asText(), 512));
            }
        }
        int budget = Math.max(0, maxBytes - Text.utf8Length(write(stub)) - 32);
        stub.put("excerpt", Text.truncateUtf8(s, budget / 6));
        return Text.repairSurrogates(write(stub));
    }

    private static String write(JsonNode n) {
        try {
            return Json.mapper().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cuts the longest string value; false when none is longer than the minimum. */
    private static boolean cutLongestString(JsonNode root, long excess) {
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        Slot best = null;
        for (Slot s : slots) {
            if (s.text.length() > MIN_STRING_CHARS && (best == null || s.bytes > best.bytes)) {
                best = s;
            }
        }
        if (best == null) {
            return false;
        }
        // Each removed character saves at least one byte; never cut below the minimum in one step.
        long keep = Math.max(MIN_STRING_CHARS, Math.min(best.text.length() / 2, best.text.length() - excess - 16));
        best.set(Text.truncateChars(best.text, (int) Math.min(Integer.MAX_VALUE, keep)));
        return true;
    }

    private static boolean cutLongestArray(JsonNode root) {
        ArrayNode best = longestArray(root, null);
        if (best == null || best.size() <= 1) {
            return false;
        }
        int keep = best.size() / 2;
        while (best.size() > keep) {
            best.remove(best.size() - 1);
        }
        best.add(Text.ELLIPSIS);
        return true;
    }

    private static ArrayNode longestArray(JsonNode n, ArrayNode best) {
        if (n instanceof ArrayNode && n.size() > 1 && (best == null || n.size() > best.size())) {
            best = (ArrayNode) n;
        }
        for (JsonNode c : n) {
            if (c.isContainerNode()) {
                best = longestArray(c, best);
            }
        }
        return best;
    }

    private static void collect(JsonNode n, List<Slot> out) {
        if (n instanceof ObjectNode) {
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isTextual()) {
                    out.add(new Slot((ObjectNode) n, e.getKey(), -1, e.getValue().asText()));
                } else if (e.getValue().isContainerNode()) {
                    collect(e.getValue(), out);
                }
            }
        } else if (n instanceof ArrayNode) {
            for (int i = 0; i < n.size(); i++) {
                JsonNode c = n.get(i);
                if (c.isTextual()) {
                    out.add(new Slot(null, null, i, c.asText()) {
                        @Override
                        void set(String v) {
                            ((ArrayNode) n).set(index, TextNode.valueOf(v));
                        }
                    });
                } else if (c.isContainerNode()) {
                    collect(c, out);
                }
            }
        }
    }

    private static class Slot {
        final ObjectNode parent;
        final String key;
        final int index;
        final String text;
        final long bytes;

        Slot(ObjectNode parent, String key, int index, String text) {
            this.parent = parent;
            this.key = key;
            this.index = index;
            this.text = text;
            this.bytes = SdkJsonSize.string(text);
        }

        void set(String v) {
            parent.put(key, v);
        }
    }
}

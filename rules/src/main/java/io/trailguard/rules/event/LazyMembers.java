package io.trailguard.rules.event;

import com.fasterxml.jackson.databind.JsonNode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The members of one checked JSON object ({@link JsonSubset}) as the children map of a Jackson {@code ObjectNode}:
 * the keys are read when the object is scanned, each value is built from its bytes the first time it is read
 * ({@link #get}, iteration, equals, hashCode, serialisation all go through that). Keys keep the order of their first
 * occurrence and a repeated key takes its last value, as {@code readTree} does.
 *
 * <p>Reads are safe from several threads (a value is built at most once visible: the first one published wins).
 * A mutation (put, remove, clear) first builds every value into a {@link LinkedHashMap} that serves from then on;
 * mutations need the same external synchronisation as on any Jackson tree.
 */
final class LazyMembers extends AbstractMap<String, JsonNode> {
    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(JsonNode[].class);
    private static final int INITIAL = 16;
    /** Keys seen in documents, so a scan usually finds its key's String instead of making one (racy, by design). */
    private static final String[] KEYS = new String[4096];

    private final byte[] data;
    private final int dataEnd;
    private final int depth;
    private final int end;
    private final int size;
    private final String[] keys;
    private final int[] hashes;
    private final int[] starts;
    private final JsonNode[] values;
    private volatile Map<String, JsonNode> mutable;

    private LazyMembers(byte[] data, int dataEnd, int depth, int end, int size, String[] keys, int[] hashes,
                        int[] starts) {
        this.data = data;
        this.dataEnd = dataEnd;
        this.depth = depth;
        this.end = end;
        this.size = size;
        this.keys = keys;
        this.hashes = hashes;
        this.starts = starts;
        this.values = new JsonNode[size];
    }

    /**
     * Scans the object whose '{' is at {@code i} (nested values checked, not built); {@code depth} counts it. Null
     * when the object is not in the subset.
     */
    static LazyMembers scan(byte[] b, int i, int end, int depth) {
        if (depth > JsonSubset.MAX_DEPTH) {
            return null;
        }
        String[] keys = new String[INITIAL];
        int[] hashes = new int[INITIAL];
        int[] starts = new int[INITIAL];
        int n = 0;
        i = JsonSubset.skipWhitespace(b, i + 1, end);
        if (i < end && b[i] == '}') {
            return new LazyMembers(b, end, depth, i + 1, 0, keys, hashes, starts);
        }
        while (true) {
            if (i >= end || b[i] != '"') {
                return null;
            }
            int keyEnd = JsonSubset.skipString(b, i, end);
            if (keyEnd == JsonSubset.OUTSIDE || keyEnd - i > JsonSubset.MAX_KEY_BYTES) {
                return null;
            }
            String key = key(b, i, keyEnd);
            int c = JsonSubset.skipWhitespace(b, keyEnd, end);
            if (c >= end || b[c] != ':') {
                return null;
            }
            int valueStart = JsonSubset.skipWhitespace(b, c + 1, end);
            i = JsonSubset.skipValue(b, valueStart, end, depth);
            if (i == JsonSubset.OUTSIDE) {
                return null;
            }
            int h = key.hashCode();
            int seen = indexOf(keys, hashes, n, key, h);
            if (seen >= 0) {
                starts[seen] = valueStart;
            } else {
                if (n == keys.length) {
                    keys = Arrays.copyOf(keys, n * 2);
                    hashes = Arrays.copyOf(hashes, n * 2);
                    starts = Arrays.copyOf(starts, n * 2);
                }
                keys[n] = key;
                hashes[n] = h;
                starts[n] = valueStart;
                n++;
            }
            i = JsonSubset.skipWhitespace(b, i, end);
            if (i >= end) {
                return null;
            }
            if (b[i] == '}') {
                return new LazyMembers(b, end, depth, i + 1, n, keys, hashes, starts);
            }
            if (b[i] != ',') {
                return null;
            }
            i = JsonSubset.skipWhitespace(b, i + 1, end);
        }
    }

    /** The key of the checked string from {@code start} (its quote) to {@code end} (after its closing quote). */
    private static String key(byte[] b, int start, int end) {
        int h = 0;
        for (int k = start + 1; k < end - 1; k++) {
            if (b[k] == '\\') {
                return JsonSubset.string(b, start, end);
            }
            h = 31 * h + b[k];
        }
        int slot = (h ^ h >>> 12) & (KEYS.length - 1);
        String cached = KEYS[slot];
        if (cached != null && sameText(cached, b, start + 1, end - 1)) {
            return cached;
        }
        String key = JsonSubset.string(b, start, end);
        KEYS[slot] = key;
        return key;
    }

    private static boolean sameText(String s, byte[] b, int from, int to) {
        if (s.length() != to - from) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) != b[from + k]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(String[] keys, int[] hashes, int n, Object key, int h) {
        for (int k = 0; k < n; k++) {
            if (hashes[k] == h && keys[k].equals(key)) {
                return k;
            }
        }
        return -1;
    }

    /** The index after the object's closing '}'. */
    int end() {
        return end;
    }

    private JsonNode valueAt(int k) {
        JsonNode v = (JsonNode) VALUES.getAcquire(values, k);
        if (v != null) {
            return v;
        }
        JsonNode built = JsonSubset.value(data, starts[k], dataEnd, depth);
        JsonNode witness = (JsonNode) VALUES.compareAndExchange(values, k, null, built);
        return witness == null ? built : witness;
    }

    private Map<String, JsonNode> mutable() {
        Map<String, JsonNode> m = mutable;
        if (m == null) {
            synchronized (this) {
                m = mutable;
                if (m == null) {
                    m = new LinkedHashMap<>();
                    for (int k = 0; k < size; k++) {
                        m.put(keys[k], valueAt(k));
                    }
                    mutable = m;
                }
            }
        }
        return m;
    }

    @Override
    public JsonNode get(Object key) {
        Map<String, JsonNode> m = mutable;
        if (m != null) {
            return m.get(key);
        }
        if (!(key instanceof String)) {
            return null;
        }
        int k = indexOf(keys, hashes, size, key, key.hashCode());
        return k < 0 ? null : valueAt(k);
    }

    @Override
    public boolean containsKey(Object key) {
        Map<String, JsonNode> m = mutable;
        if (m != null) {
            return m.containsKey(key);
        }
        return key instanceof String && indexOf(keys, hashes, size, key, key.hashCode()) >= 0;
    }

    @Override
    public int size() {
        Map<String, JsonNode> m = mutable;
        return m != null ? m.size() : size;
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public JsonNode put(String key, JsonNode value) {
        return mutable().put(key, value);
    }

    @Override
    public JsonNode remove(Object key) {
        return mutable().remove(key);
    }

    @Override
    public void putAll(Map<? extends String, ? extends JsonNode> m) {
        mutable().putAll(m);
    }

    @Override
    public void clear() {
        mutable().clear();
    }

    @Override
    public Set<String> keySet() {
        Map<String, JsonNode> m = mutable;
        if (m != null) {
            return m.keySet();
        }
        return new AbstractSet<String>() {
            @Override
            public Iterator<String> iterator() {
                return new Members<String>() {
                    @Override
                    String at(int k) {
                        return keys[k];
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public boolean contains(Object o) {
                return containsKey(o);
            }
        };
    }

    @Override
    public Set<Entry<String, JsonNode>> entrySet() {
        Map<String, JsonNode> m = mutable;
        if (m != null) {
            return m.entrySet();
        }
        return new AbstractSet<Entry<String, JsonNode>>() {
            @Override
            public Iterator<Entry<String, JsonNode>> iterator() {
                return new Members<Entry<String, JsonNode>>() {
                    @Override
                    Entry<String, JsonNode> at(int k) {
                        return new SimpleImmutableEntry<>(keys[k], valueAt(k));
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** Iterates the members in order (read-only: mutation goes through the map). */
    private abstract class Members<T> implements Iterator<T> {
        private int next;

        abstract T at(int k);

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public T next() {
            if (next >= size) {
                throw new NoSuchElementException();
            }
            return at(next++);
        }
    }
}

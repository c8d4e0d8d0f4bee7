package io.trailguard.job.sink.aws;

import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

import java.util.List;
import java.util.Map;

/**
 * The number of bytes an AWS SDK model object takes in a JSON request body, as the SDK's JSON protocols write it
 * (compact, UTF-8, strings escaped). Control characters are counted as 6-byte {@code \\uXXXX} escapes, so the result
 * is an upper bound when the encoder uses shorter escapes.
 */
public final class SdkJsonSize {
    private SdkJsonSize() {
    }

    public static long of(SdkPojo pojo) {
        long size = 2; // {}
        boolean first = true;
        for (SdkField<?> f : pojo.sdkFields()) {
            Object v = f.getValueOrDefault(pojo);
            if (!present(v)) {
                continue;
            }
            if (!first) {
                size++;
            }
            first = false;
            size += string(f.locationName()) + 1 + value(v);
        }
        return size;
    }

    private static boolean present(Object v) {
        return v != null && !(v instanceof SdkAutoConstructList) && !(v instanceof SdkAutoConstructMap);
    }

    private static long value(Object v) {
        if (v instanceof String) {
            return string((String) v);
        }
        if (v instanceof SdkPojo) {
            return of((SdkPojo) v);
        }
        if (v instanceof List) {
            long size = 2;
            boolean first = true;
            for (Object o : (List<?>) v) {
                if (!first) {
                    size++;
                }
                first = false;
                size += o == null ? 4 : value(o);
            }
            return size;
        }
        if (v instanceof Map) {
            long size = 2;
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!first) {
                    size++;
                }
                first = false;
                size += string(String.valueOf(e.getKey())) + 1 + (e.getValue() == null ? 4 : value(e.getValue()));
            }
            return size;
        }
        if (v instanceof java.time.Instant) {
            return 40; // an epoch number or an ISO string
        }
        return Text.utf8(String.valueOf(v)).length + 2L;
    }

    /** Bytes of a JSON string literal: quotes, escapes, UTF-8. */
    public static long string(String s) {
        long size = 2;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20) {
                size += 6;
            } else if (c == '"' || c == '\\') {
                size += 2;
            } else if (c < 0x80) {
                size++;
            } else if (c < 0x800) {
                size += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                size += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                size += 6; // an encoder may escape a lone surrogate
            } else {
                size += 3;
            }
        }
        return size;
    }
}

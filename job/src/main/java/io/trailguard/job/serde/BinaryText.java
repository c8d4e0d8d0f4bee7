package io.trailguard.job.serde;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Strings in the records between operators: ASCII text (nearly all CloudTrail text) as one length-prefixed block of
 * bytes, anything else in Flink's {@link StringValue} form, which keeps every UTF-16 string exactly (lone surrogates
 * included). Null is allowed.
 */
final class BinaryText {
    private static final int NULL = -1;
    private static final int OTHER = -2;

    private BinaryText() {
    }

    static void write(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeInt(NULL);
            return;
        }
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                out.writeInt(OTHER);
                StringValue.writeString(s, out);
                return;
            }
        }
        out.writeInt(n);
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String read(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n == NULL) {
            return null;
        }
        if (n == OTHER) {
            return StringValue.readString(in);
        }
        if (n < 0) {
            throw new IOException("corrupt record: text length " + n);
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}

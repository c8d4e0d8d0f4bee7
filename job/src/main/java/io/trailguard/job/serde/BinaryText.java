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
    /**
     * ASCII text up to this length is written and read through a per-thread buffer, so that neither allocates a
     * copy of the bytes (alert texts cross every hop between operators).
     */
    private static final int SCRATCH_BYTES = 4096;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SCRATCH_BYTES]);

    private BinaryText() {
    }

    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exactly right for ASCII
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
        if (n > SCRATCH_BYTES) {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            return;
        }
        byte[] scratch = SCRATCH.get();
        s.getBytes(0, n, scratch, 0); // every char is ASCII: its low byte is the char
        out.write(scratch, 0, n);
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
        if (n > SCRATCH_BYTES) {
            byte[] bytes = new byte[n];
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        byte[] scratch = SCRATCH.get();
        in.readFully(scratch, 0, n);
        return new String(scratch, 0, n, StandardCharsets.ISO_8859_1);
    }
}

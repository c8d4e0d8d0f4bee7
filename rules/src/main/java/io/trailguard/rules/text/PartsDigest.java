package io.trailguard.rules.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The lowercase hex SHA-256 of a list of text parts, each fed as its UTF-8 byte length in decimal ASCII, a colon and
 * its UTF-8 bytes ({@code 5:hello3:abc}), so no two lists give the same input. Finding ids and incident ids are this
 * digest: its value is an identity that outputs keep across upgrades, so the encoding never changes. One digest
 * object per thread, reused (a {@link MessageDigest} is not thread-safe, and looking one up per call costs more than
 * the hash of a short input).
 */
public final class PartsDigest {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private PartsDigest() {
    }

    /** {@code prefix} followed by the hex digest of {@code parts}. */
    public static String hex(String prefix, List<String> parts) {
        MessageDigest md = SHA256.get();
        md.reset();
        byte[] length = new byte[11];
        for (String p : parts) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            int at = length.length;
            length[--at] = ':';
            int n = b.length;
            do {
                length[--at] = (byte) ('0' + n % 10);
                n /= 10;
            } while (n != 0);
            md.update(length, at, length.length - at);
            md.update(b);
        }
        byte[] d = md.digest();
        byte[] prefixBytes = prefix.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[prefixBytes.length + 2 * d.length];
        System.arraycopy(prefixBytes, 0, out, 0, prefixBytes.length);
        int o = prefixBytes.length;
        for (byte x : d) {
            out[o++] = HEX[(x >> 4) & 0xF];
            out[o++] = HEX[x & 0xF];
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}

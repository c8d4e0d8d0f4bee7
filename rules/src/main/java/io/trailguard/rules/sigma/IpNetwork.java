package io.trailguard.rules.sigma;

/**
 * An IPv4 or IPv6 network for the {@code cidr} modifier, and a strict parser of textual addresses (no name
 * lookups, ever: event values such as {@code AWS Internal} or {@code ec2.amazonaws.com} are simply not addresses).
 * IPv4 is dotted-quad with decimal octets without leading zeros; IPv6 is RFC 4291 text ({@code ::} compression,
 * optional dotted IPv4 tail), without zone index. An IPv4 address is never in an IPv6 network and vice versa
 * (as in Python's {@code ipaddress}).
 */
final class IpNetwork {
    private final byte[] address; // network address, host bits cleared
    private final int prefix;
    private final String text;
    private final boolean hostBits;

    private IpNetwork(byte[] address, int prefix, String text, boolean hostBits) {
        this.address = address;
        this.prefix = prefix;
        this.text = text;
        this.hostBits = hostBits;
    }

    /** Parses {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a single address; null when not a network. */
    static IpNetwork parse(String cidr) {
        String s = cidr.trim();
        int slash = s.indexOf('/');
        byte[] a = parseAddress(slash < 0 ? s : s.substring(0, slash));
        if (a == null) {
            return null;
        }
        int bits = a.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return null;
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                return null;
            }
        }
        boolean hostBits = false;
        for (int i = 0; i < a.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            int masked = a[i] & (0xff << (8 - keep));
            hostBits |= (a[i] & 0xff) != (masked & 0xff);
            a[i] = (byte) masked;
        }
        return new IpNetwork(a, prefix, s, hostBits);
    }

    /**
     * True when the text had address bits set after the prefix, as in {@code 192.168.1.1/24}: pySigma (Python's
     * strict {@code ip_network}) refuses such a network.
     */
    boolean hasHostBits() {
        return hostBits;
    }

    /** The network as {@code address/prefix} with the host bits cleared (IPv6 groups uncompressed). */
    String networkText() {
        StringBuilder sb = new StringBuilder();
        if (address.length == 4) {
            for (int i = 0; i < 4; i++) {
                sb.append(i == 0 ? "" : ".").append(address[i] & 0xff);
            }
        } else {
            for (int i = 0; i < 16; i += 2) {
                int group = ((address[i] & 0xff) << 8) | (address[i + 1] & 0xff);
                sb.append(i == 0 ? "" : ":").append(Integer.toHexString(group));
            }
        }
        return sb.append('/').append(prefix).toString();
    }

    /** True when {@code ip} is an address of the same family inside this network. */
    boolean contains(String ip) {
        byte[] a = parseAddress(ip);
        if (a == null || a.length != address.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != address[i]) {
                return false;
            }
        }
        int rem = prefix % 8;
        if (rem == 0) {
            return true;
        }
        int mask = (0xff << (8 - rem)) & 0xff;
        return (a[full] & mask) == (address[full] & 0xff);
    }

    /** 4 or 16 bytes, or null when {@code s} is not an IPv4 or IPv6 address. */
    static byte[] parseAddress(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) {
            return null;
        }
        return s.indexOf(':') >= 0 ? parseV6(s) : parseV4(s);
    }

    private static byte[] parseV4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        int n = s.length();
        while (part < 4) {
            int start = i;
            int v = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
            }
            int len = i - start;
            if (len == 0 || v > 255 || (len > 1 && s.charAt(start) == '0')) {
                return null;
            }
            out[part++] = (byte) v;
            if (part < 4) {
                if (i >= n || s.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == n ? out : null;
    }

    private static byte[] parseV6(String s) {
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl < 0 ? s : s.substring(0, dbl);
        String tail = dbl < 0 ? "" : s.substring(dbl + 2);
        int[] h = groups(head, dbl < 0);
        int[] t = dbl < 0 ? new int[0] : groups(tail, true);
        if (h == null || t == null) {
            return null;
        }
        int count = h.length + t.length;
        if ((dbl < 0 && count != 8) || (dbl >= 0 && count > 7)) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < h.length; i++) {
            out[2 * i] = (byte) (h[i] >> 8);
            out[2 * i + 1] = (byte) h[i];
        }
        for (int i = 0; i < t.length; i++) {
            int g = 8 - t.length + i;
            out[2 * g] = (byte) (t[i] >> 8);
            out[2 * g + 1] = (byte) t[i];
        }
        return out;
    }

    /** 16-bit groups of a ':'-separated run; an IPv4 tail (allowed at the end) gives two groups. */
    private static int[] groups(String run, boolean ipv4TailAllowed) {
        if (run.isEmpty()) {
            return new int[0];
        }
        String[] items = run.split(":", -1);
        int extra = 0;
        String last = items[items.length - 1];
        byte[] v4 = null;
        if (last.indexOf('.') >= 0) {
            if (!ipv4TailAllowed) {
                return null;
            }
            v4 = parseV4(last);
            if (v4 == null) {
                return null;
            }
            extra = 1;
        }
        int[] out = new int[items.length + extra];
        int hexCount = v4 == null ? items.length : items.length - 1;
        for (int i = 0; i < hexCount; i++) {
            String g = items[i];
            if (g.isEmpty() || g.length() > 4) {
                return null;
            }
            int v = 0;
            for (int k = 0; k < g.length(); k++) {
                int d = Character.digit(g.charAt(k), 16);
                if (d < 0) {
                    return null;
                }
                v = v * 16 + d;
            }
            out[i] = v;
        }
        if (v4 != null) {
            out[hexCount] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
            out[hexCount + 1] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        }
        return out;
    }

    @Override
    public String toString() {
        return text;
    }
}

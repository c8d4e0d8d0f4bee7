package io.trailguard.job.config;

import java.io.Serializable;

/** A Kinesis stream given by name or ARN ({@code arn:aws:kinesis:REGION:ACCOUNT:stream/NAME}). */
public final class StreamRef implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String region;
    private final String arn;

    private StreamRef(String name, String region, String arn) {
        this.name = name;
        this.region = region;
        this.arn = arn;
    }

    public static StreamRef parse(String text) {
        String t = text.trim();
        if (t.startsWith("arn:")) {
            String[] parts = t.split(":", 6);
            if (parts.length != 6 || !parts[2].equals("kinesis") || !parts[5].startsWith("stream/")
                    || parts[5].length() == "stream/".length()) {
                throw new IllegalArgumentException("'" + text + "' is not a Kinesis stream ARN "
                        + "(arn:aws:kinesis:REGION:ACCOUNT:stream/NAME)");
            }
            return new StreamRef(parts[5].substring("stream/".length()), parts[3].isEmpty() ? null : parts[3], t);
        }
        if (t.isEmpty() || !t.matches("[A-Za-z0-9_.-]{1,128}")) {
            throw new IllegalArgumentException("'" + text + "' is not a Kinesis stream name or ARN");
        }
        return new StreamRef(t, null, null);
    }

    public String name() {
        return name;
    }

    /** The region named in the ARN, or null. */
    public String region() {
        return region;
    }

    /** The ARN, when the stream was given as one; otherwise null. */
    public String arn() {
        return arn;
    }

    @Override
    public String toString() {
        return arn != null ? arn : name;
    }
}

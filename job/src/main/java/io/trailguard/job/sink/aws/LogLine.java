package io.trailguard.job.sink.aws;

import java.io.Serializable;

/** One buffered CloudWatch Logs event: a JSON line and its timestamp (epoch millis). */
public final class LogLine implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Bytes CloudWatch Logs adds to every event when it sizes a PutLogEvents batch. */
    public static final int EVENT_OVERHEAD_BYTES = 26;

    private final long timestamp;
    private final String message;
    private final int messageBytes;

    public LogLine(long timestamp, String message) {
        this.timestamp = timestamp;
        this.message = message;
        this.messageBytes = Text.utf8Length(message);
    }

    public long timestamp() {
        return timestamp;
    }

    public String message() {
        return message;
    }

    public int messageBytes() {
        return messageBytes;
    }

    /** The event's size as CloudWatch Logs counts it: UTF-8 bytes plus {@value #EVENT_OVERHEAD_BYTES}. */
    public long sizeInBytes() {
        return (long) messageBytes + EVENT_OVERHEAD_BYTES;
    }

    LogLine withTimestamp(long t) {
        return t == timestamp ? this : new LogLine(t, message);
    }

    @Override
    public String toString() {
        return "LogLine{" + timestamp + ", " + messageBytes + " bytes}";
    }
}

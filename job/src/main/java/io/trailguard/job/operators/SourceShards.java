package io.trailguard.job.operators;

/**
 * The shard part of a record's origin ({@code shardId:sequenceNumber} for Kinesis, {@code file:line} in replay;
 * an origin without a colon is its own shard), without a new string per record while the shard stays the same.
 */
final class SourceShards {
    private String last = "";

    String of(String origin) {
        if (origin == null) {
            return "";
        }
        int colon = origin.lastIndexOf(':');
        int length = colon < 0 ? origin.length() : colon;
        if (length != last.length() || !origin.regionMatches(0, last, 0, length)) {
            last = origin.substring(0, length);
        }
        return last;
    }
}

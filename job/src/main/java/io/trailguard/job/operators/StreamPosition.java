package io.trailguard.job.operators;

import java.math.BigInteger;

/** Order of two Kinesis records given as {@code shardId:sequenceNumber} origins (same shard only). */
public final class StreamPosition {
    private StreamPosition() {
    }

    /**
     * True when both origins are Kinesis coordinates on the same shard and {@code a} comes before {@code b}. Any
     * other pair (different shards, or an origin that is not {@code shard:sequence}) is not ordered: false.
     */
    public static boolean isBefore(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        int ia = a.lastIndexOf(':');
        int ib = b.lastIndexOf(':');
        if (ia <= 0 || ib <= 0 || !a.substring(0, ia).equals(b.substring(0, ib))) {
            return false;
        }
        try {
            return new BigInteger(a.substring(ia + 1)).compareTo(new BigInteger(b.substring(ib + 1))) < 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

package io.trailguard.job.kinesis;

import io.trailguard.job.bundle.ActiveRules;
import io.trailguard.job.bundle.ChunkAssembly;
import io.trailguard.job.bundle.CompiledBundle;
import io.trailguard.job.bundle.RuleBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Before {@code run} builds its graph: reads the control stream from TRIM_HORIZON to the tip of every shard (within a
 * time limit) and picks the newest bundle that {@link ActiveRules#check} accepts ({@link CompiledBundle}: a bundle
 * without enabled rules is skipped unless it is intentionally empty, which is taken with a WARN), to use as the
 * start-up rules. Events are then evaluated with the current rules from the first record, instead of with the
 * defaults while old bundles replay.
 */
public final class ControlStreamBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(ControlStreamBootstrap.class);
    private static final int RECORDS_PER_CALL = 1000;

    private ControlStreamBootstrap() {
    }

    /** What the scan found. */
    public static final class Result {
        /** The newest valid bundle (origin = its Kinesis coordinates), or null. */
        public final RuleBundle bundle;
        public final int recordsRead;
        public final int bundlesFound;
        /** Why the scan is incomplete (unreachable stream, timeout), or null when it reached the tip. */
        public final String problem;

        Result(RuleBundle bundle, int recordsRead, int bundlesFound, String problem) {
            this.bundle = bundle;
            this.recordsRead = recordsRead;
            this.bundlesFound = bundlesFound;
            this.problem = problem;
        }
    }

    private static final class Read {
        final String shardId;
        final Record record;

        Read(String shardId, Record record) {
            this.shardId = shardId;
            this.record = record;
        }

        Instant arrival() {
            return record.approximateArrivalTimestamp() == null ? Instant.EPOCH : record.approximateArrivalTimestamp();
        }

        BigInteger sequence() {
            return new BigInteger(record.sequenceNumber());
        }
    }

    /** The newest bundle that {@code rules} accept (the same check as the running job's). */
    public static Result newestValidBundle(KinesisClient client, String stream, ActiveRules rules,
                                           Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Read> reads = new ArrayList<>();
        String problem = null;
        try {
            for (Shard shard : shards(client, stream)) {
                if (!readShard(client, stream, shard.shardId(), deadline, reads)) {
                    problem = "timed out after " + timeout.getSeconds() + " s before reaching the end of the stream";
                    break;
                }
            }
        } catch (SdkException e) {
            problem = "cannot read control stream " + stream + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        }
        reads.sort(Comparator.comparing(Read::arrival).thenComparing(r -> r.shardId).thenComparing(Read::sequence));
        ChunkAssembly assembly = new ChunkAssembly();
        List<RuleBundle> bundles = new ArrayList<>();
        for (Read r : reads) {
            ChunkAssembly.Outcome o = assembly.accept(r.record.data().asByteArray(),
                    r.shardId + ":" + r.record.sequenceNumber());
            if (o.bundle != null) {
                bundles.add(o.bundle);
            }
        }
        for (int i = bundles.size() - 1; i >= 0; i--) {
            RuleBundle b = bundles.get(i);
            CompiledBundle c = rules.check(b);
            if (c.ok()) {
                if (c.detectionDisabled()) {
                    LOG.warn("control stream bundle {} ({}) at {}: {}", b.version(), b.shortHash(), b.origin(),
                            CompiledBundle.disabledDetail(b));
                }
                return new Result(b, reads.size(), bundles.size(), problem);
            }
            LOG.info("control stream bundle {} ({}) at {} is not valid, looking further back: {}", b.version(),
                    b.shortHash(), b.origin(), String.join("; ", c.errors()));
        }
        return new Result(null, reads.size(), bundles.size(), problem);
    }

    private static List<Shard> shards(KinesisClient client, String stream) {
        List<Shard> out = new ArrayList<>();
        String next = null;
        do {
            ListShardsResponse r = client.listShards(next == null
                    ? ListShardsRequest.builder().streamName(stream).build()
                    : ListShardsRequest.builder().nextToken(next).build());
            out.addAll(r.shards());
            next = r.nextToken();
        } while (next != null);
        return out;
    }

    /** Reads one shard to its tip; false when the deadline passed first. */
    private static boolean readShard(KinesisClient client, String stream, String shardId, long deadline,
                                     List<Read> reads) throws InterruptedException {
        String iterator = client.getShardIterator(b -> b.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        while (iterator != null) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            final String it = iterator;
            GetRecordsResponse r = client.getRecords(b -> b.shardIterator(it).limit(RECORDS_PER_CALL));
            for (Record rec : r.records()) {
                reads.add(new Read(shardId, rec));
            }
            Long behind = r.millisBehindLatest();
            if (r.records().isEmpty() && (behind == null || behind == 0L)) {
                return true;
            }
            if (r.records().isEmpty()) {
                Thread.sleep(200);
            }
            iterator = r.nextShardIterator();
        }
        return true;
    }
}

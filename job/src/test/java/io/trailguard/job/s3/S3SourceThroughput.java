package io.trailguard.job.s3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.pipeline.StreamingJob;
import io.trailguard.job.TestEvents;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.TestRules;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.metrics.Counters;
import io.trailguard.job.pipeline.PipelineOutput;
import io.trailguard.job.serde.RawRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code S3SourceThroughput [RECORDS [PARALLELISM]]}: the S3-notification source's throughput, from a local gzip
 * CloudTrail file (S3Proxy) announced on a local queue (ElasticMQ) through the source into the rule evaluator with
 * the bundled rule packs: records per second from the notification to the last record evaluated (the
 * {@code eventsRead} accumulator). Not a test: run it by hand ({@code deployment/local/s3-throughput.sh}).
 */
public final class S3SourceThroughput {
    private S3SourceThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        try (LocalS3Sqs aws = LocalS3Sqs.start(); S3Client s3 = aws.s3(); SqsClient sqs = aws.sqs()) {
            s3.createBucket(r -> r.bucket("bench"));
            String queue = aws.createQueue(sqs, "bench", Map.of());
            List<ObjectNode> events = new ArrayList<>(records);
            String[] names = {"DescribeInstances", "GetObject", "AssumeRole", "ListBuckets", "CreateUser"};
            for (int i = 0; i < records; i++) {
                ObjectNode r = TestEvents.record("ec2.amazonaws.com", names[i % names.length], "t" + i,
                        "2026-02-01T10:00:00Z");
                events.add(r);
            }
            byte[] gz = TrailFiles.gzipLog(events);
            events.clear();
            String key = TrailFiles.key(TestEvents.ACCOUNT, "us-east-1", "2026-02-01", "bench");
            TrailFiles.put(s3, "bench", key, gz);
            TrailguardConfig config = TrailguardConfig.empty().with("events.queue", queue)
                    .with("s3.endpoint", aws.s3Endpoint()).with("sqs.endpoint", aws.sqsEndpoint())
                    .with("aws.region", "us-east-1").with("checkpoint.interval", "10s")
                    .with("dead_letter.output", "none");
            Configuration conf = new Configuration();
            conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofMillis(500));
            conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
            RuleBundle rules = TestRules.bundled();
            List<PipelineOutput> outputs = new ArrayList<>();
            StreamingJob.build(env, config, rules, outputs);
            JobClient job = env.executeAsync("s3 source throughput");
            Thread.sleep(5000);
            long start = System.nanoTime();
            S3JobHarness.send(sqs, queue, TrailFiles.s3Event("bench", key));
            long read = 0;
            while (read < records) {
                Thread.sleep(100);
                Object v = job.getAccumulators().get(10, TimeUnit.SECONDS).get(Counters.EVENTS);
                read = v instanceof Number ? ((Number) v).longValue() : 0;
                if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
                    throw new IllegalStateException("only " + read + " of " + records + " records in 10 minutes");
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("S3 source: %,d records (%,d gzip bytes) in %.1f s = %,.0f records/s "
                    + "(parallelism %d, %d rules)%n", records, gz.length, seconds, records / seconds, parallelism,
                    io.trailguard.job.bundle.CompiledBundle.compile(rules, config.matching()).ruleCount());
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }
}

import io.trailguard.job.bundle.BundleFile;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.output.AlertOutputs;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.pipeline.PipelineOutput;
import io.trailguard.job.pipeline.PipelineSettings;
import io.trailguard.job.serde.JobJson;
import io.trailguard.job.serde.RawRecord;
import io.trailguard.job.sink.aws.FakeAwsEndpoint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Makes the upgrade savepoint fixture (README.md in the fixture folder): the whole detection job of the build on the
 * classpath (DetectionPipeline, default state backend, parallelism 2, one shard) with the file, OCSF and Security Hub
 * (fake endpoint) outputs reads the events of {@code before.jsonl}, writes what they raise, and is stopped with a
 * savepoint (not drained), which is moved to {@code FIXTURE/savepoint}. Run by {@code generate.sh} with the
 * earlier build's classes; not part of the test sources (it compiles against that build).
 *
 * <p>The events: four failed console logins from 203.0.113.9 (a rate window one below its threshold of five), a
 * CreateUser alert (a dedup entry), and three CRITICAL alerts of three ATT&amp;CK tactics by one principal (an
 * incident raised once, version 1, so the finding-times stage holds its CreatedAt, and its sequence stays open).
 */
public final class UpgradeSavepoint {
    static final String ACCOUNT = "111122223333";
    static final String MALLORY = "arn:aws:iam::" + ACCOUNT + ":user/mallory";
    static final String INCIDENT_RULE = "Attack Sequence by One Principal";

    private UpgradeSavepoint() {
    }

    public static void main(String[] args) {
        try {
            generate(Path.of(args[0]).toAbsolutePath());
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1); // the local cluster's threads would keep the JVM alive
        }
        System.exit(0);
    }

    private static void generate(Path fixture) throws Exception {
        Path work = Files.createTempDirectory("upgrade-savepoint");
        List<String> events = events();
        Files.write(fixture.resolve("before.jsonl"), events, StandardCharsets.UTF_8);
        RuleBundle rules = RuleBundle.of("upgrade-fixture", "2026-01-01T00:00:00Z", List.of(
                new BundleFile("upgrade.yaml", Files.readString(fixture.resolve("rules.yaml")))), null);

        try (FakeAwsEndpoint fake = new FakeAwsEndpoint()) {
            fake.startListening();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, new Configuration());
            Path alerts = work.resolve("alerts.jsonl");
            Path ocsf = work.resolve("findings.ocsf.jsonl");
            TrailguardConfig config = TrailguardConfig.empty()
                    .with("aws.region", "eu-west-1")
                    .with("aws.endpoint", fake.endpoint())
                    .with("securityhub.flush", "100ms")
                    .with("sink.dead_letter", "log");
            List<PipelineOutput> outputs = AlertOutputs.create(
                    List.of("file:" + alerts, "ocsf:" + ocsf, "securityhub"), AlertOutputs.Mode.RUN, "upgrade", config);
            Events.QUEUE.addAll(events);
            DetectionPipeline.build(env,
                    env.addSource(new Events(), "Events", TypeInformation.of(RawRecord.class))
                            .setParallelism(1).uid("events-source"),
                    null,
                    PipelineSettings.streaming(rules)
                            .withOutOfOrderness(Duration.ofSeconds(1)).withIdleness(Duration.ofSeconds(1)),
                    outputs);
            JobClient job = env.executeAsync("upgrade savepoint");

            // every alert of the events, the incident in the OCSF output and in Security Hub
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(lines(alerts).size() >= 4 && lines(ocsf).stream().anyMatch(l -> l.contains(INCIDENT_RULE))
                    && fake.findings().values().stream().anyMatch(f -> f.toString().contains(INCIDENT_RULE)))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out: alerts " + lines(alerts) + " ocsf " + lines(ocsf));
                }
                Thread.sleep(50);
            }
            Thread.sleep(1000); // nothing else is expected; a late line would show in the copied outputs
            String savepoint = job.stopWithSavepoint(false, work.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
            Path from = Path.of(java.net.URI.create(savepoint));
            Path to = fixture.resolve("savepoint");
            deleteTree(to);
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, to.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.copy(alerts, fixture.resolve("alerts.jsonl"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(ocsf, fixture.resolve("findings.ocsf.jsonl"), StandardCopyOption.REPLACE_EXISTING);
            List<String> asff = new ArrayList<>();
            fake.findings().values().forEach(f -> asff.add(JobJson.write(f)));
            asff.sort(Comparator.naturalOrder());
            Files.write(fixture.resolve("findings.asff.jsonl"), asff, StandardCharsets.UTF_8);
            System.out.println("savepoint " + savepoint + " copied to " + to);
        }
        deleteTree(work);
    }

    /** The events before the savepoint, one shard, in event-time order (2026-02-01T10:00:00Z on). */
    static List<String> events() {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            out.add(event("signin.amazonaws.com", "ConsoleLogin", "login-" + i, "10:00:0" + i, "203.0.113.9",
                    "arn:aws:iam::" + ACCOUNT + ":user/guess" + i, true));
        }
        out.add(event("iam.amazonaws.com", "CreateUser", "dup-1", "10:00:05", "198.51.100.7", MALLORY, false));
        out.add(event("cloudtrail.amazonaws.com", "StopLogging", "inc-1", "10:00:10", "198.51.100.7", MALLORY, false));
        out.add(event("iam.amazonaws.com", "CreateAccessKey", "inc-2", "10:00:11", "198.51.100.7", MALLORY, false));
        out.add(event("ec2.amazonaws.com", "DescribeInstances", "inc-3", "10:00:12", "198.51.100.7", MALLORY, false));
        return out;
    }

    /** An EventBridge envelope of a CloudTrail record (fixed ids, so the file is the same on every run). */
    static String event(String source, String name, String id, String time, String ip, String arn, boolean failed) {
        String user = arn.substring(arn.lastIndexOf('/') + 1);
        return "{\"version\":\"0\",\"id\":\"envelope-" + id + "\",\"detail-type\":\"AWS API Call via CloudTrail\","
                + "\"source\":\"aws." + source.split("\\.")[0] + "\",\"account\":\"" + ACCOUNT + "\","
                + "\"time\":\"2026-02-01T" + time + "Z\",\"region\":\"us-east-1\",\"resources\":[],"
                + "\"detail\":{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"" + arn
                + "\",\"accountId\":\"" + ACCOUNT + "\",\"userName\":\"" + user + "\"},"
                + "\"eventTime\":\"2026-02-01T" + time + "Z\",\"eventSource\":\"" + source + "\","
                + "\"eventName\":\"" + name + "\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"" + ip + "\","
                + "\"userAgent\":\"aws-cli/2.15.0\",\"requestParameters\":{\"userName\":\"eve\"},"
                + (failed ? "\"errorCode\":\"Failed authentication\",\"responseElements\":{\"ConsoleLogin\":\"Failure\"},"
                        : "\"responseElements\":null,")
                + "\"requestID\":\"request-" + id + "\",\"eventID\":\"" + id + "\",\"readOnly\":false,"
                + "\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"" + ACCOUNT + "\"}}";
    }

    private static List<String> lines(Path file) throws java.io.IOException {
        List<String> out = new ArrayList<>();
        if (Files.exists(file)) {
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!l.isBlank()) {
                    out.add(l);
                }
            }
        }
        return out;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /** The queued event lines as records of one shard, then nothing until stopped (a live stream gone quiet). */
    static final class Events implements SourceFunction<RawRecord> {
        private static final long serialVersionUID = 1L;
        static final java.util.concurrent.BlockingQueue<String> QUEUE =
                new java.util.concurrent.LinkedBlockingQueue<>();
        private volatile boolean running = true;

        @Override
        public void run(SourceContext<RawRecord> ctx) throws Exception {
            long n = 0;
            while (running) {
                String line = QUEUE.poll(20, TimeUnit.MILLISECONDS);
                if (line != null) {
                    RawRecord r = new RawRecord(line.getBytes(StandardCharsets.UTF_8), "shard-0:" + n++);
                    r.shard = "shard-0";
                    synchronized (ctx.getCheckpointLock()) {
                        ctx.collect(r);
                    }
                }
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }
}

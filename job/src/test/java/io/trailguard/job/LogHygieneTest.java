package io.trailguard.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trailguard.job.bundle.BundleSigner;
import io.trailguard.job.bundle.BundleVerifier;
import io.trailguard.job.bundle.RuleBundle;
import io.trailguard.job.config.ConfigKey;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.output.DeadLetterOutputs;
import io.trailguard.job.pipeline.DetectionPipeline;
import io.trailguard.job.pipeline.PipelineOutput;
import io.trailguard.job.pipeline.PipelineSettings;
import io.trailguard.job.pipeline.StreamingJob;
import io.trailguard.job.serde.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everything logged (Flink and Trailguard, root logger at INFO) while the detection graph runs with hostile events,
 * malformed records, signed/unsigned/tampered bundles, and while the start-up scan fails against an unreachable
 * control stream: no AWS secret key or HMAC key material at any level, and no event content at INFO or below
 * (dead-letter reasons are WARN, which the job allows).
 */
class LogHygieneTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    static final String HMAC_SECRET = "CANARYHMAC-7f3e9c1d2b4a-do-not-log-this-key";
    static final String AWS_SECRET = "CANARYAWSSECRET/wJalrXUtnFEMI/K7MDENG/bPxRfiCY";
    static final String FIELD = "CANARYFIELD-user-agent-9d8c";
    static final String PARAM = "CANARYPARAM-policy-6b5a";
    static final String MALFORMED = "CANARYMALFORMED-4e3f";

    /** Collects every event that reaches the root logger. */
    static final class Capture extends AbstractAppender {
        final List<String[]> lines = new CopyOnWriteArrayList<>();

        Capture() {
            super("hygiene-capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent e) {
            StringBuilder b = new StringBuilder(e.getMessage().getFormattedMessage());
            if (e.getThrown() != null) {
                StringWriter w = new StringWriter();
                e.getThrown().printStackTrace(new PrintWriter(w));
                b.append('\n').append(w);
            }
            lines.add(new String[] {e.getLevel().name(), e.getLoggerName(), b.toString()});
        }
    }

    private Capture capture;
    private Level rootLevel;
    private Level trailguardLevel;

    @BeforeEach
    void capture() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        capture = new Capture();
        capture.start();
        cfg.addAppender(capture);
        LoggerConfig root = cfg.getRootLogger();
        rootLevel = root.getLevel();
        root.addAppender(capture, Level.ALL, null);
        root.setLevel(Level.INFO);
        LoggerConfig tg = cfg.getLoggerConfig("io.trailguard");
        trailguardLevel = tg.getLevel();
        tg.setLevel(Level.INFO);
        ctx.updateLoggers();
    }

    @AfterEach
    void release() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        cfg.getRootLogger().removeAppender(capture.getName());
        cfg.getRootLogger().setLevel(rootLevel);
        cfg.getLoggerConfig("io.trailguard").setLevel(trailguardLevel);
        ctx.updateLoggers();
        capture.stop();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private void assertClean() {
        assertThat(capture.lines).as("something was logged").isNotEmpty();
        for (String[] l : capture.lines) {
            String where = l[0] + " " + l[1] + ": " + l[2];
            assertThat(l[2]).as(where).doesNotContain(HMAC_SECRET).doesNotContain(AWS_SECRET)
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString(
                            HMAC_SECRET.getBytes(StandardCharsets.UTF_8)));
            if (Level.valueOf(l[0]).isLessSpecificThan(Level.INFO)) {
                assertThat(l[2]).as(where).doesNotContain(FIELD).doesNotContain(PARAM).doesNotContain(MALFORMED);
            }
        }
    }

    @Test
    void theDetectionGraphLogsNoKeysAndNoEventContentAtInfo(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("bundle.key");
        Files.write(key, HMAC_SECRET.getBytes(StandardCharsets.UTF_8));
        SecretKeySpec k = new SecretKeySpec(HMAC_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        RuleBundle signed = BundleSigner.hmac(k, "hmac:file:" + key).sign(
                TestRules.basePlus("v2", "changes.yaml", TestRules.ACCESS_KEY_RULE)).withOrigin("shardId-0:2");
        RuleBundle unsigned = TestRules.basePlus("v3", "off.yaml", TestRules.DISABLE_CREATE_USER);
        List<RawRecord> control = Arrays.asList(new RawRecord(signed.toMessageBytes(), "shardId-0:2"),
                new RawRecord(unsigned.toMessageBytes(), "shardId-0:3"),
                TestEvents.raw("{\"type\":\"bundle\",\"version\":\"" + MALFORMED + "\"", "shardId-0:4"));

        List<RawRecord> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ObjectNode e = i % 2 == 0 ? TestEvents.createUser("e" + i) : TestEvents.createAccessKey("e" + i);
            e.put("userAgent", FIELD + " <script>");
            ((ObjectNode) e.get("requestParameters")).put("policyDocument", PARAM);
            events.add(TestEvents.raw(TestEvents.envelope(e), "s-0:" + i));
        }
        events.add(TestEvents.raw("{\"detail\": {\"eventName\": \"" + MALFORMED + "\", ", "s-1:1"));
        events.add(TestEvents.raw("{\"Records\": \"" + MALFORMED + "\"}", "s-1:2"));
        events.add(TestEvents.raw("[\"" + FIELD + "\"]", "s-1:3"));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        CollectingOutput out = new CollectingOutput();
        List<PipelineOutput> outputs = Arrays.asList(out, DeadLetterOutputs.create("log", "test"));
        PipelineSettings settings = PipelineSettings.bounded(TestRules.base())
                .withBundleVerifier(BundleVerifier.of(true, "hmac:file:" + key));
        DetectionPipeline.build(env, env.fromData(events, TypeInformation.of(RawRecord.class)),
                env.fromData(control, TypeInformation.of(RawRecord.class)).setParallelism(1), settings, outputs);
        env.execute("log hygiene");

        assertThat(out.alerts()).isNotEmpty();
        assertThat(String.join("\n", out.statuses())).contains("\"status\":\"accepted\"", "\"version\":\"v2\"")
                .contains("unsigned bundle");
        assertThat(out.deadLetters()).hasSize(3);
        assertThat(capture.lines.stream().filter(l -> l[0].equals("WARN") && l[2].startsWith("dead letter")))
                .as("dead letters are logged at WARN").hasSize(3);
        assertClean();
    }

    @Test
    void anUnreachableControlStreamAtStartUpFallsBackToTheDefaultRulesWithoutLoggingCredentials() throws Exception {
        System.setProperty("aws.accessKeyId", "AKIACANARYKEYID00000");
        System.setProperty("aws.secretAccessKey", AWS_SECRET);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: connections are refused
        }
        TrailguardConfig config = TrailguardConfig.empty()
                .with(ConfigKey.CONTROL_STREAM.key(), "trailguard-control")
                .with(ConfigKey.AWS_ENDPOINT.key(), "http://127.0.0.1:" + port)
                .with(ConfigKey.AWS_REGION.key(), "us-east-1")
                .with(ConfigKey.CONTROL_BOOTSTRAP_TIMEOUT.key(), "3s")
                .with(ConfigKey.BUNDLES_REQUIRE_SIGNATURE.key(), "true")
                .with(ConfigKey.BUNDLES_VERIFY_KEY.key(), "hmac:env:TRAILGUARD_TEST_UNSET_VARIABLE");
        long start = System.nanoTime();
        RuleBundle startup = StreamingJob.startupBundle(config, TestRules.base());
        assertThat(startup.hash()).isEqualTo(TestRules.base().hash());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(capture.lines.stream().filter(l -> l[0].equals("WARN")).map(l -> l[2]))
                .anySatisfy(m -> assertThat(m).contains("trailguard-control").contains("default rules"));
        assertClean();
    }
}

package io.trailguard.job.sink.aws;

import io.trailguard.job.aws.AwsConnection;
import io.trailguard.job.config.TrailguardConfig;
import io.trailguard.job.output.AlertOutputs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The delivery settings: retry limits, backoff, once-per-interval reports and the dead-letter targets. */
class DeliverySettingsTest {
    @Test
    void retryLimitsParse() {
        assertThat(RetryLimit.parse("unlimited").isUnlimited()).isTrue();
        assertThat(RetryLimit.parse("").isUnlimited()).isTrue();
        assertThat(RetryLimit.parse("unlimited").reached(Integer.MAX_VALUE, Long.MAX_VALUE)).isFalse();
        RetryLimit attempts = RetryLimit.parse("20");
        assertThat(attempts.reached(19, Long.MAX_VALUE)).isFalse();
        assertThat(attempts.reached(20, 0)).isTrue();
        RetryLimit time = RetryLimit.parse("6h");
        assertThat(time.reached(1_000_000, Duration.ofHours(6).toMillis() - 1)).isFalse();
        assertThat(time.reached(1, Duration.ofHours(6).toMillis())).isTrue();
        assertThatThrownBy(() -> RetryLimit.parse("forever")).hasMessageContaining("unlimited");
        assertThatThrownBy(() -> RetryLimit.parse("0")).hasMessageContaining("at least 1");
    }

    @Test
    void backoffGrowsWithJitterAndStopsAtTheMaximum() {
        RetryPolicy p = RetryPolicy.defaults();
        assertThat(p.maxBackoffMs()).isEqualTo(30_000);
        assertThat(p.limit().isUnlimited()).isTrue();
        for (int i = 0; i < 200; i++) {
            assertThat(p.backoffMillis(1)).isBetween(100L, 200L);
            assertThat(p.backoffMillis(4)).isBetween(800L, 1_600L);
            assertThat(p.backoffMillis(1_000)).isBetween(15_000L, 30_000L);
        }
    }

    @Test
    void aThrottledLogLetsOneLineThroughPerInterval() {
        ThrottledLog log = new ThrottledLog(1_000);
        assertThat(log.due(10_000)).isTrue();
        assertThat(log.due(10_001)).isFalse();
        assertThat(log.due(10_999)).isFalse();
        assertThat(log.due(11_000)).isTrue();
        log.reset();
        assertThat(log.due(11_001)).isTrue();
    }

    @Test
    void autoDeadLettersGoToTheLegacyFileElseTheCloudWatchOutputGroupElseTheLog() {
        List<String> cw = Arrays.asList("securityhub", "cloudwatch:/trailguard/alerts");
        assertThat(SinkDeadLetters.resolveSpec("auto", "/tmp/dl.jsonl", cw)).isEqualTo("file:/tmp/dl.jsonl");
        assertThat(SinkDeadLetters.resolveSpec("auto", null, cw)).isEqualTo("cloudwatch:/trailguard/alerts:dead-letters");
        assertThat(SinkDeadLetters.resolveSpec("", null, Collections.singletonList("securityhub"))).isEqualTo("log");
        assertThat(SinkDeadLetters.resolveSpec("file:/x", "/ignored", cw)).isEqualTo("file:/x");

        AwsConnection c = AwsConnection.of("eu-west-1", null);
        assertThat(SinkDeadLetters.forSpec("log", c, true)).isInstanceOf(SinkDeadLetters.LogDeadLetters.class);
        assertThat(((SinkDeadLetters.FileDeadLetters) SinkDeadLetters.forSpec("file:/tmp/x-{subtask}", c, true))
                .path()).isEqualTo("/tmp/x-{subtask}");
        CloudWatchDeadLetters g = (CloudWatchDeadLetters) SinkDeadLetters.forSpec("cloudwatch:/a/b", c, true);
        assertThat(g.group()).isEqualTo("/a/b");
        assertThat(g.streamName("securityhub", 3)).isEqualTo("dead-letters/securityhub/3");
        CloudWatchDeadLetters p = (CloudWatchDeadLetters) SinkDeadLetters.forSpec("cloudwatch:/a/b:dl/x", c, true);
        assertThat(p.streamName("cloudwatch", 0)).isEqualTo("dl/x/cloudwatch/0");
        assertThatThrownBy(() -> SinkDeadLetters.forSpec("cloudwatch:", c, true)).hasMessageContaining("LOG_GROUP");
        assertThatThrownBy(() -> SinkDeadLetters.forSpec("s3://bucket", c, true)).hasMessageContaining("auto, log");
    }

    @Test
    void badSettingsStopTheJobAtStartNamingTheKey() {
        TrailguardConfig base = TrailguardConfig.empty().with("aws.region", "us-east-1");
        List<String> sh = Collections.singletonList("securityhub");
        assertThat(AlertOutputs.create(sh, AlertOutputs.Mode.RUN, "t", base.with("sink.retry.limit", "2h")
                .with("sink.retry.max_backoff", "5s").with("securityhub.on_unavailable", "dead_letter")
                .with("sink.dead_letter", "cloudwatch:/trailguard/dl"))).hasSize(1);
        assertThatThrownBy(() -> AlertOutputs.create(sh, AlertOutputs.Mode.RUN, "t",
                base.with("sink.retry.limit", "often"))).hasMessageContaining("sink.retry.limit");
        assertThatThrownBy(() -> AlertOutputs.create(sh, AlertOutputs.Mode.RUN, "t",
                base.with("securityhub.on_unavailable", "fail"))).hasMessageContaining("securityhub.on_unavailable");
        assertThatThrownBy(() -> AlertOutputs.create(sh, AlertOutputs.Mode.RUN, "t",
                base.with("sink.dead_letter", "kafka:x"))).hasMessageContaining("sink.dead_letter");
        assertThatThrownBy(() -> AlertOutputs.create(sh, AlertOutputs.Mode.RUN, "t",
                base.with("sink.retry.max_backoff", "0s"))).hasMessageContaining("sink.retry.max_backoff");
    }
}

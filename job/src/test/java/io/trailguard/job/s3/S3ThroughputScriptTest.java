package io.trailguard.job.s3;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deployment/local/s3-throughput.sh}, the measuring command docs/ingestion.md shows, runs and reports its
 * figure (on a small file, on this JVM's classpath; the figure itself is not judged here: no timing in tests).
 */
class S3ThroughputScriptTest {
    @Test
    void theThroughputCommandRunsAndReportsRecordsPerSecond() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", Paths.get("..", "deployment", "local", "s3-throughput.sh")
                .toString(), "2000", "1").redirectErrorStream(true);
        pb.environment().put("TRAILGUARD_CLASSPATH", System.getProperty("java.class.path"));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).containsPattern("S3 source: 2,000 records \\([0-9,]+ gzip bytes\\) in [0-9.]+ s = [0-9,]+ "
                + "records/s \\(parallelism 1, \\d+ rules\\)");
    }
}

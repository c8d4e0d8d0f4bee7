package io.trailguard.job.kinesis;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import io.trailguard.job.aws.AwsClients;
import io.trailguard.job.aws.AwsConnection;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * kinesis-local (kinesis-mock on Node) started from {@code deployment/local/node_modules/kinesis-local} on free ports,
 * plain HTTP. Tests skip when it is not installed, unless {@code -Dtrailguard.requireKinesis=true} or the environment
 * variable {@code CI=true} (as in CI), when they
 * fail.
 */
public final class KinesisLocal implements AutoCloseable {
    static final Path PACKAGE = Paths.get("..", "deployment", "local", "node_modules", "kinesis-local");

    private final Process process;
    private final int port;

    private KinesisLocal(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Aborts the test when kinesis-local is not installed, or fails it when it must be; returns whether it must be.
     */
    static boolean assumeInstalled() {
        boolean required = Boolean.getBoolean("trailguard.requireKinesis") || "true".equals(System.getenv("CI"));
        if (!Files.isRegularFile(PACKAGE.resolve("main.js"))) {
            String why = "kinesis-local is not installed in " + PACKAGE.toAbsolutePath().normalize()
                    + " (run deployment/local/install.sh)";
            if (required) {
                Assertions.fail(why);
            }
            Assumptions.abort(why);
        }
        return required;
    }

    /** Starts it with {@code streams} ("name:shards,..."), waiting until they are ACTIVE. */
    public static KinesisLocal start(String streams, List<String> names) throws Exception {
        boolean required = assumeInstalled();
        int plain = freePort();
        int tls = freePort();
        ProcessBuilder pb = new ProcessBuilder("node", "main.js").directory(PACKAGE.toFile());
        pb.environment().put("KINESIS_MOCK_PLAIN_PORT", String.valueOf(plain));
        pb.environment().put("KINESIS_MOCK_TLS_PORT", String.valueOf(tls));
        pb.environment().put("INITIALIZE_STREAMS", streams);
        pb.environment().put("LOG_LEVEL", "WARN");
        pb.redirectErrorStream(true);
        File log = Paths.get("target", "kinesis-local-" + plain + ".log").toFile();
        pb.redirectOutput(log);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            if (required) {
                throw e;
            }
            Assumptions.abort("cannot start node: " + e.getMessage());
            return null;
        }
        KinesisLocal k = new KinesisLocal(p, plain);
        try {
            k.awaitActive(names);
        } catch (Exception | AssertionError e) {
            k.close();
            throw e;
        }
        return k;
    }

    public String endpoint() {
        return "http://localhost:" + port;
    }

    public KinesisClient client() {
        return AwsClients.kinesis(AwsConnection.of("us-east-1", endpoint()));
    }

    private void awaitActive(List<String> names) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        Exception last = null;
        try (KinesisClient c = client()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("kinesis-local exited with " + process.exitValue());
                }
                try {
                    boolean all = true;
                    for (String n : names) {
                        all &= c.describeStreamSummary(b -> b.streamName(n)).streamDescriptionSummary()
                                .streamStatus() == StreamStatus.ACTIVE;
                    }
                    if (all) {
                        return;
                    }
                } catch (RuntimeException e) {
                    last = e;
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("kinesis-local streams not active within 60 s", last);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

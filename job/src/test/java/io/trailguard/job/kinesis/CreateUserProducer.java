package io.trailguard.job.kinesis;

import io.trailguard.job.TestEvents;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.time.Instant;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.trailguard.job.kinesis.KinesisJobHarness.putEvents;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Puts one CreateUser event with a unique eventID ({@link #id}) on a stream every few milliseconds, through every
 * run and every kill of the job under test, until stopped; {@link #sent} says how many went in.
 */
final class CreateUserProducer extends Thread {
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger sent = new AtomicInteger();
    private final KinesisClient client;
    private final String stream;
    private final String prefix;
    private final long intervalMs;
    private volatile Throwable failure;

    CreateUserProducer(KinesisClient client, String stream, String prefix, long intervalMs) {
        this.client = client;
        this.stream = stream;
        this.prefix = prefix;
        this.intervalMs = intervalMs;
        setDaemon(true);
    }

    /** The eventID (and user name) of the {@code i}-th event put. */
    String id(int i) {
        return prefix + i;
    }

    @Override
    public void run() {
        try {
            while (running.get()) {
                putEvents(client, stream, Collections.singletonList(TestEvents.record("iam.amazonaws.com",
                        "CreateUser", id(sent.get()), Instant.now().toString())));
                sent.incrementAndGet();
                Thread.sleep(intervalMs);
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Stops putting and fails the test if a put failed. */
    void stopAndJoin() throws InterruptedException {
        running.set(false);
        if (isAlive()) {
            join(10_000);
        }
        assertThat(failure).as("producer").isNull();
    }
}

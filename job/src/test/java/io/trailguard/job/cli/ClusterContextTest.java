package io.trailguard.job.cli;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only a {@code main} that the java launcher called is taken as "no cluster around": a main called from anything else
 * (a test, a cluster's entry point, another thread) still asks Flink.
 */
class ClusterContextTest {
    @Test
    void aMainCalledFromOtherCodeIsNotTheLaunchersMain() {
        assertThat(ClusterContext.calledByLauncher(Main.class)).isFalse();
        assertThat(ClusterContext.calledByLauncher(ClusterContextTest.class)).isFalse();
    }

    @Test
    void theOutermostFrameDecides() throws Exception {
        AtomicBoolean seen = new AtomicBoolean(true);
        Thread t = new Thread(() -> seen.set(ClusterContext.calledByLauncher(Main.class)));
        t.start();
        t.join();
        assertThat(seen).isFalse();
    }
}

package io.trailguard.job.cli;

import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Whether a surrounding Flink cluster runs this JVM's commands (Managed Flink, a job submitted with {@code flink run},
 * a test's MiniCluster): then Flink has set a context environment before the command runs. A process that the
 * {@code java} launcher started with {@link Main} as its main class ({@code java -jar trailguard.jar},
 * {@code bin/trailguard}) has no cluster around it, and is told so by {@link Main} before any command runs; only
 * otherwise is Flink asked, which loads Flink and initialises its logging (about 1,000 classes).
 */
final class ClusterContext {
    private static volatile boolean launchedByJava;

    private ClusterContext() {
    }

    /** Told by {@link Main#main} when the java launcher called it (no cluster can have set a context). */
    static void launchedByJava() {
        launchedByJava = true;
    }

    /** True when a surrounding Flink cluster runs the commands. */
    static boolean present() {
        if (launchedByJava) {
            return false;
        }
        return !(StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment);
    }

    /**
     * True when {@code Main.main} is the outermost frame of the calling thread: the java launcher invoked it
     * (a cluster calls it from its own entry point, a thread of its own or a test).
     */
    static boolean calledByLauncher(Class<?> main) {
        StackWalker.StackFrame outermost = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.reduce((inner, outer) -> outer)).orElse(null);
        return outermost != null && outermost.getDeclaringClass() == main && "main".equals(outermost.getMethodName());
    }
}

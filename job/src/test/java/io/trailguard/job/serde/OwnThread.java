package io.trailguard.job.serde;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** Runs a piece of a test on a new thread, as a Flink task restores on a thread of its own ({@link RestoredKeys}). */
public final class OwnThread {
    private OwnThread() {}

    /** Runs {@code task} on a new thread and gives back its result, or throws what it threw. */
    public static <T> T run(Callable<T> task) throws Exception {
        FutureTask<T> f = new FutureTask<>(task);
        Thread t = new Thread(f, "restoring task");
        t.start();
        t.join();
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }
}

package io.trailguard.job.recovery;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A JVM shutdown hook (SIGTERM, Ctrl-C) that stops a local job with a savepoint before the process ends, so that the
 * next run resumes exactly where this one stopped ({@link RetainedCheckpoints} finds it). The savepoint is not
 * drained ({@code advanceToEndOfEventTime = false}): open rate windows and timers stay in state instead of firing.
 * It waits at most the given timeout; without a savepoint the next run resumes from the newest retained checkpoint.
 * SIGKILL runs no hook: then too the newest retained checkpoint is what the next run resumes from.
 */
public final class SavepointOnStop {
    private static final Logger LOG = LoggerFactory.getLogger(SavepointOnStop.class);

    private SavepointOnStop() {
    }

    /** Registers the hook for {@code job}; savepoints go to {@code savepointDir} (a directory path or URI). */
    public static Thread install(JobClient job, String savepointDir, Duration timeout) {
        Thread hook = new Thread(() -> stop(job, savepointDir, timeout), "trailguard-savepoint-on-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Stops {@code job} with a savepoint unless it already ended; logs where the savepoint went or why there is none. */
    static void stop(JobClient job, String savepointDir, Duration timeout) {
        try {
            JobStatus status = job.getJobStatus().get(5, TimeUnit.SECONDS);
            if (status.isGloballyTerminalState()) {
                return;
            }
            if (status != JobStatus.RUNNING) {
                LOG.warn("stopping: the job is {}, not running, so no savepoint can be taken; the next run resumes "
                        + "from the newest complete checkpoint", status);
                return;
            }
        } catch (Exception e) {
            LOG.warn("stopping: cannot read the job status ({}); trying the savepoint anyway", e.toString());
        }
        LOG.info("stopping: taking a savepoint into {} (at most {} s)", savepointDir, timeout.getSeconds());
        try {
            String path = job.stopWithSavepoint(false, savepointDir, SavepointFormatType.CANONICAL)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("stopped with savepoint {}: the same command resumes from it", path);
        } catch (TimeoutException e) {
            LOG.warn("stopping: no savepoint within {} s; stopping without one: the next run resumes from the newest "
                    + "complete checkpoint or savepoint", timeout.getSeconds());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            LOG.warn("stopping: Flink could not take the savepoint ({}); the next run resumes from the newest "
                    + "complete checkpoint", rootMessage(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("stopping: interrupted while taking the savepoint; the next run resumes from the newest "
                    + "complete checkpoint");
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? t.toString() : t.getClass().getSimpleName() + ": " + root;
    }
}

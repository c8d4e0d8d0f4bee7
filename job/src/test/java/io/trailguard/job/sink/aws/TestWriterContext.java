package io.trailguard.job.sink.aws;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.JobInfoImpl;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.flink.util.function.ThrowingRunnable;

import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link WriterInitContext} for driving a sink writer without a cluster: the calling test thread plays the task
 * thread; mails (request completions from the writer's I/O threads, timers) queue up and run when the writer yields
 * or when the test calls {@link #runMails}. Timers fire in real time.
 */
final class TestWriterContext implements WriterInitContext, AutoCloseable {
    private final BlockingQueue<ThrowingRunnable<? extends Exception>> mails = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-timers");
        t.setDaemon(true);
        return t;
    });
    private final JobID jobId = new JobID();
    private final int subtask;
    private final int parallelism;

    TestWriterContext() {
        this(0, 1);
    }

    TestWriterContext(int subtask, int parallelism) {
        this.subtask = subtask;
        this.parallelism = parallelism;
    }

    static final SinkWriter.Context WRITE_CONTEXT = new SinkWriter.Context() {
        @Override
        public long currentWatermark() {
            return Long.MIN_VALUE;
        }

        @Override
        public Long timestamp() {
            return null;
        }
    };

    private final MailboxExecutor mailbox = new MailboxExecutor() {
        @Override
        public void execute(MailOptions options, ThrowingRunnable<? extends Exception> command, String description,
                            Object... args) {
            mails.add(command);
        }

        @Override
        public void yield() throws InterruptedException, FlinkRuntimeException {
            run(mails.take());
        }

        @Override
        public boolean tryYield() throws FlinkRuntimeException {
            ThrowingRunnable<? extends Exception> m = mails.poll();
            if (m == null) {
                return false;
            }
            run(m);
            return true;
        }

        @Override
        public boolean shouldInterrupt() {
            return false;
        }
    };

    private static void run(ThrowingRunnable<? extends Exception> m) {
        try {
            m.run();
        } catch (Exception e) {
            throw new FlinkRuntimeException(e);
        }
    }

    /** Runs queued mails (timers included) for {@code millis}. */
    void runMails(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        long left;
        while ((left = deadline - System.currentTimeMillis()) > 0) {
            ThrowingRunnable<? extends Exception> m = mails.poll(left, TimeUnit.MILLISECONDS);
            if (m != null) {
                run(m);
            }
        }
    }

    private final ProcessingTimeService time = new ProcessingTimeService() {
        @Override
        public long getCurrentProcessingTime() {
            return System.currentTimeMillis();
        }

        @Override
        public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback callback) {
            long delay = Math.max(0, timestamp - System.currentTimeMillis());
            return timers.schedule(() -> mails.add(() -> callback.onProcessingTime(timestamp)), delay,
                    TimeUnit.MILLISECONDS);
        }
    };

    @Override
    public UserCodeClassLoader getUserCodeClassLoader() {
        return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
    }

    @Override
    public MailboxExecutor getMailboxExecutor() {
        return mailbox;
    }

    @Override
    public ProcessingTimeService getProcessingTimeService() {
        return time;
    }

    @Override
    public SinkWriterMetricGroup metricGroup() {
        return UnregisteredMetricsGroup.createSinkWriterMetricGroup();
    }

    @Override
    public SerializationSchema.InitializationContext asSerializationSchemaInitializationContext() {
        return null;
    }

    @Override
    public boolean isObjectReuseEnabled() {
        return false;
    }

    @Override
    public <IN> TypeSerializer<IN> createInputSerializer() {
        return null;
    }

    @Override
    public OptionalLong getRestoredCheckpointId() {
        return OptionalLong.empty();
    }

    @Override
    public JobInfo getJobInfo() {
        return new JobInfoImpl(jobId, "test-job");
    }

    @Override
    public TaskInfo getTaskInfo() {
        return new TaskInfoImpl("sink", 128, subtask, parallelism, 0);
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}

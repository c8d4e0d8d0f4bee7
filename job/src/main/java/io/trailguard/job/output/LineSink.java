package io.trailguard.job.output;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;

import java.io.IOException;

/**
 * A Sink V2 writing one line of text per element to a {@link LineTarget}. Lines are flushed as they are written (alerts
 * are few and should be seen at once), so a checkpoint or the end of input finds nothing buffered. Use it with
 * parallelism 1 when several instances would share a file.
 */
public final class LineSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final LineTarget target;
    private final SerializableFunction<T, String> format;

    public LineSink(LineTarget target, SerializableFunction<T, String> format) {
        this.target = target;
        this.format = format;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) throws IOException {
        return new Writer<>(target.open(), format);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new Writer<>(target.open(), format);
    }

    @Override
    public String toString() {
        return "LineSink{" + target + "}";
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final LineTarget.LineWriter out;
        private final SerializableFunction<T, String> format;

        Writer(LineTarget.LineWriter out, SerializableFunction<T, String> format) {
            this.out = out;
            this.format = format;
        }

        @Override
        public void write(T element, Context context) throws IOException {
            out.write(format.apply(element));
        }

        @Override
        public void flush(boolean endOfInput) {
            // Every line is flushed when written.
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}

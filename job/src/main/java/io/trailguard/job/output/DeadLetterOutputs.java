package io.trailguard.job.output;

import io.trailguard.job.pipeline.DetectionStreams;
import io.trailguard.job.pipeline.PipelineOutput;
import io.trailguard.rules.event.DeadLetter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Builds the dead-letter output from its spec ({@code dead_letter.output}):
 * <ul>
 *   <li>{@code stderr}: one {@code {"type":"dead_letter","origin","reason","excerpt"}} line per dead letter on
 *       standard error (the default for replay);</li>
 *   <li>{@code file:PATH}: those lines appended to PATH, and a WARN log line (origin and reason, no payload);</li>
 *   <li>{@code log}: only the WARN log line (the default for the streaming job: no payload in its logs);</li>
 *   <li>{@code none}: nothing (dead letters are still counted in the {@code deadLetters} metric).</li>
 * </ul>
 */
public final class DeadLetterOutputs {
    public static final String SPECS = "stderr, log, file:PATH, none";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterOutputs.class);

    private DeadLetterOutputs() {
    }

    public static PipelineOutput create(String spec, String consoleId) {
        String s = spec.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("stderr")) {
            return output(s, streams -> streams.deadLetters()
                    .sinkTo(new LineSink<>(LineTarget.stderr(consoleId), OutputLines::deadLetter))
                    .setParallelism(1).name("Dead letters to stderr").uid("sink-dead-letters-stderr"));
        }
        if (lower.equals("log")) {
            return output(s, streams -> streams.deadLetters()
                    .sinkTo(new LogSink()).name("Dead letters to the log").uid("sink-dead-letters-log"));
        }
        if (lower.equals("none")) {
            return output(s, streams -> { });
        }
        String path = AlertOutputs.filePath(s);
        if (path != null) {
            if (path.isEmpty()) {
                throw new IllegalArgumentException("dead-letter output '" + spec + "' needs a path: file:PATH");
            }
            return output(s, streams -> {
                streams.deadLetters().sinkTo(new LogSink()).name("Dead letters to the log")
                        .uid("sink-dead-letters-log");
                streams.deadLetters()
                        .sinkTo(new LineSink<>(LineTarget.file(path), OutputLines::deadLetter))
                        .setParallelism(1).name("Dead letters to a file").uid(AlertOutputs.uid("dead-letters", s));
            });
        }
        throw new IllegalArgumentException("unknown dead-letter output '" + spec + "'; available: " + SPECS);
    }

    private interface Attach {
        void attach(DetectionStreams streams);
    }

    private static PipelineOutput output(String spec, Attach attach) {
        return new PipelineOutput() {
            @Override
            public String spec() {
                return spec;
            }

            @Override
            public void attach(DetectionStreams streams) {
                attach.attach(streams);
            }
        };
    }

    /** Logs each dead letter at WARN with its origin and reason, never its content. */
    static final class LogSink implements Sink<DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<DeadLetter> createWriter(InitContext context) {
            return new Writer();
        }

        @Override
        public SinkWriter<DeadLetter> createWriter(WriterInitContext context) {
            return new Writer();
        }

        private static final class Writer implements SinkWriter<DeadLetter> {
            @Override
            public void write(DeadLetter d, Context context) {
                LOG.warn("dead letter from {}: {}", d.origin(), d.reason());
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
            }
        }
    }
}

package io.trailguard.job;

import io.trailguard.job.output.OutputLines;
import io.trailguard.job.pipeline.DetectionStreams;
import io.trailguard.job.pipeline.PipelineOutput;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A test output collecting alert, rule status and dead-letter lines in memory (same JVM as the MiniCluster). */
public final class CollectingOutput implements PipelineOutput {
    private static final Map<String, Queue<String>> LINES = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    public CollectingOutput() {
        LINES.put(id + "/alerts", new ConcurrentLinkedQueue<>());
        LINES.put(id + "/status", new ConcurrentLinkedQueue<>());
        LINES.put(id + "/dead", new ConcurrentLinkedQueue<>());
    }

    @Override
    public String spec() {
        return "collect";
    }

    @Override
    public void attach(DetectionStreams streams) {
        streams.alerts().sinkTo(new CollectSink<>(id + "/alerts", OutputLines::alert)).name("collect alerts");
        streams.ruleStatus().sinkTo(new CollectSink<>(id + "/status", OutputLines::ruleStatus)).name("collect status");
        streams.deadLetters().sinkTo(new CollectSink<>(id + "/dead", OutputLines::deadLetter)).name("collect dead");
    }

    public List<String> alerts() {
        return new ArrayList<>(LINES.get(id + "/alerts"));
    }

    public List<String> statuses() {
        return new ArrayList<>(LINES.get(id + "/status"));
    }

    public List<String> deadLetters() {
        return new ArrayList<>(LINES.get(id + "/dead"));
    }

    static final class CollectSink<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final String key;
        private final SerializableFunction<T, String> format;

        CollectSink(String key, SerializableFunction<T, String> format) {
            this.key = key;
            this.format = format;
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<T> createWriter(InitContext context) {
            return writer();
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            return writer();
        }

        private SinkWriter<T> writer() {
            return new SinkWriter<T>() {
                @Override
                public void write(T element, Context context) {
                    LINES.get(key).add(format.apply(element));
                }

                @Override
                public void flush(boolean endOfInput) {
                }

                @Override
                public void close() {
                }
            };
        }
    }
}

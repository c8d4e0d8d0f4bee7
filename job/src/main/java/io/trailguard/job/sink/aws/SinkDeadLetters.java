package io.trailguard.job.sink.aws;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the AWS outputs put what they could not deliver. A Flink sink has no side output, so the sink carries this
 * serializable handler; the writer calls it (from its I/O threads, possibly concurrently) before the entries' request
 * counts as complete, so a dead letter is written before the checkpoint that forgets the entry. Every dead letter is
 * also counted in the writer's {@code findingsDeadLettered} / {@code logEventsDeadLettered} metric.
 *
 * <p>{@link #log()}: one ERROR line per dead letter on the logger {@value #LOGGER} (on Managed Flink it lands in the
 * application's CloudWatch log stream, a different path from the CloudWatch Logs output). {@link #file(String)}: the
 * dead-letter JSON line appended to a file as well ({@code {subtask}} in the path is replaced by the subtask index).
 */
public interface SinkDeadLetters extends Serializable {
    String LOGGER = "io.trailguard.job.sink.aws.DeadLetters";

    /** Called once per undelivered entry; must be thread-safe. Exceptions are logged and otherwise ignored. */
    void accept(DeadLetterRecord record, int subtask);

    static SinkDeadLetters log() {
        return new LogDeadLetters();
    }

    /** Logs and appends the JSON line to {@code path}; a blank path means {@link #log()} only. */
    static SinkDeadLetters file(String path) {
        return path == null || path.trim().isEmpty() ? log() : new FileDeadLetters(path.trim());
    }

    /** Logging handler. */
    final class LogDeadLetters implements SinkDeadLetters {
        private static final long serialVersionUID = 1L;
        private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

        @Override
        public void accept(DeadLetterRecord record, int subtask) {
            String json = record.toJson();
            LOG.error("undelivered {} entry (subtask {}): {}", record.output(), subtask,
                    json.length() > 64 * 1024 ? Text.truncateChars(json, 64 * 1024) : json);
        }
    }

    /** Logging plus a JSON-lines file. */
    final class FileDeadLetters implements SinkDeadLetters {
        private static final long serialVersionUID = 1L;
        private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();

        private final String path;

        FileDeadLetters(String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }

        @Override
        public void accept(DeadLetterRecord record, int subtask) {
            new LogDeadLetters().accept(record, subtask);
            Path p = Paths.get(path.replace("{subtask}", Integer.toString(subtask))).toAbsolutePath();
            Object lock = LOCKS.computeIfAbsent(p.toString(), k -> new Object());
            synchronized (lock) {
                try {
                    if (p.getParent() != null) {
                        Files.createDirectories(p.getParent());
                    }
                    try (Writer w = Files.newBufferedWriter(p, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
                        w.write(record.toJson());
                        w.write('\n');
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write dead letter to " + p, e);
                }
            }
        }
    }
}

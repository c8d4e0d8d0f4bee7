package io.trailguard.job.sink.aws;

import io.trailguard.job.aws.AwsConnection;
import io.trailguard.job.files.LineFile;
import io.trailguard.rules.event.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the AWS outputs put what the service refused as invalid (and, with a configured {@code sink.retry.limit},
 * what reached it): the target of {@code sink.dead_letter}. A Flink sink has no side output, so the sink carries
 * this serializable handler; the writer calls it (from its I/O threads, possibly concurrently) before the entry
 * leaves its state, so a dead letter is written before the checkpoint that forgets the entry. A handler that throws
 * keeps the entry pending (it is retried, and so is its dead letter). Every dead letter is counted in the writer's
 * {@code findingsDeadLettered} / {@code logEventsDeadLettered} metric.
 *
 * <p>Targets ({@link #forSpec}): {@code log}: one ERROR line per dead letter on the logger {@value #LOGGER} (on
 * Managed Flink the application's log stream: not a place to keep findings); {@code file:PATH}: the JSON line
 * appended to a file as well ({@code {subtask}} in the path is replaced by the subtask index; local runs);
 * {@code cloudwatch:GROUP[:PREFIX]}: the JSON line in a CloudWatch Logs group ({@link CloudWatchDeadLetters}),
 * durable and available on Managed Flink.
 */
public interface SinkDeadLetters extends Serializable {
    String LOGGER = "io.trailguard.job.sink.aws.DeadLetters";

    /** {@link DeadLetter.Delivery#output()} of the Security Hub output. */
    String SECURITY_HUB = "securityhub";
    /** {@link DeadLetter.Delivery#output()} of the CloudWatch Logs output. */
    String CLOUDWATCH = "cloudwatch";

    /**
     * Called once per undelivered entry (a {@link DeadLetter#undelivered} letter); must be thread-safe. Exceptions
     * are logged and otherwise ignored.
     */
    void accept(DeadLetter letter, int subtask);

    /** The default target: {@code auto}. */
    String AUTO = "auto";
    /** The stream prefix of {@code cloudwatch:GROUP} without one. */
    String DEFAULT_CLOUDWATCH_PREFIX = "dead-letters";

    /**
     * The spec {@code sink.dead_letter=auto} stands for: {@code file:PATH} with the legacy
     * {@code sink.dead_letter_path}; else {@code cloudwatch:GROUP:dead-letters} in the group of the first
     * {@code cloudwatch:GROUP} output (it exists and the job may write it, on Managed Flink too); else {@code log}.
     * Any other spec is returned as it is.
     */
    static String resolveSpec(String spec, String legacyPath, java.util.List<String> outputs) {
        String s = spec == null ? "" : spec.trim();
        if (!s.isEmpty() && !s.equalsIgnoreCase(AUTO)) {
            return s;
        }
        if (legacyPath != null && !legacyPath.trim().isEmpty()) {
            return "file:" + legacyPath.trim();
        }
        for (String o : outputs) {
            String t = o.trim();
            if (t.toLowerCase(java.util.Locale.ROOT).startsWith("cloudwatch:") && t.length() > "cloudwatch:".length()) {
                return "cloudwatch:" + t.substring("cloudwatch:".length()).trim() + ":" + DEFAULT_CLOUDWATCH_PREFIX;
            }
        }
        return "log";
    }

    /**
     * The handler of a resolved spec: {@code log}, {@code file:PATH} or {@code cloudwatch:GROUP[:PREFIX]} (log
     * group names cannot contain {@code :}, so the first {@code :} after the group starts the stream prefix).
     *
     * @param connection     region and endpoint of the CloudWatch Logs client
     * @param createLogGroup whether a missing dead-letter group may be created
     */
    static SinkDeadLetters forSpec(String spec, AwsConnection connection, boolean createLogGroup) {
        String s = spec == null ? "" : spec.trim();
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("log")) {
            return log();
        }
        if (lower.startsWith("file:") && s.length() > "file:".length()) {
            return file(s.substring("file:".length()));
        }
        if (lower.startsWith("cloudwatch:")) {
            String rest = s.substring("cloudwatch:".length()).trim();
            int colon = rest.indexOf(':');
            String group = colon < 0 ? rest : rest.substring(0, colon);
            String prefix = colon < 0 ? DEFAULT_CLOUDWATCH_PREFIX : rest.substring(colon + 1);
            if (!group.matches("[.\\-_/#A-Za-z0-9]{1,512}") || prefix.isEmpty() || prefix.length() > 400
                    || prefix.contains("*") || prefix.contains(":")) {
                throw new IllegalArgumentException("dead-letter target '" + spec + "': expected "
                        + "cloudwatch:LOG_GROUP or cloudwatch:LOG_GROUP:STREAM_PREFIX");
            }
            return new CloudWatchDeadLetters(connection, group, prefix, createLogGroup);
        }
        throw new IllegalArgumentException("dead-letter target '" + spec + "': expected auto, log, file:PATH or "
                + "cloudwatch:LOG_GROUP[:STREAM_PREFIX]");
    }

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
        public void accept(DeadLetter letter, int subtask) {
            String json = letter.toJsonLine();
            LOG.error("undelivered {} entry (subtask {}): {}", letter.delivery().output(), subtask,
                    json.length() > 64 * 1024 ? Text.truncateChars(json, 64 * 1024) : json);
        }
    }

    /** Logging plus a JSON-lines file ({@link LineFile}, the writer of every local line file). */
    final class FileDeadLetters implements SinkDeadLetters {
        private static final long serialVersionUID = 1L;

        private final String path;

        FileDeadLetters(String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }

        @Override
        public void accept(DeadLetter letter, int subtask) {
            new LogDeadLetters().accept(letter, subtask);
            Path p = Paths.get(path.replace("{subtask}", Integer.toString(subtask)));
            try {
                LineFile.appendLine(p, letter.toJsonLine());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write dead letter to " + p.toAbsolutePath(), e);
            }
        }
    }
}

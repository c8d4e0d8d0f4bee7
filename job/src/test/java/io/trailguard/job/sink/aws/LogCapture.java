package io.trailguard.job.sink.aws;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Collects the log lines of the {@code io.trailguard} loggers while open. */
final class LogCapture extends AbstractAppender implements AutoCloseable {
    private final List<String[]> lines = new CopyOnWriteArrayList<>();

    LogCapture() {
        super("capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY);
        start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        cfg.addAppender(this);
        cfg.getLoggerConfig("io.trailguard").addAppender(this, Level.ALL, null);
        ctx.updateLoggers();
    }

    @Override
    public void append(LogEvent e) {
        lines.add(new String[] {e.getLevel().name(), e.getMessage().getFormattedMessage()});
    }

    /** The messages at {@code level} containing {@code text}. */
    List<String> messages(String level, String text) {
        return lines.stream().filter(l -> l[0].equals(level) && l[1].contains(text)).map(l -> l[1])
                .collect(Collectors.toList());
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        cfg.getLoggerConfig("io.trailguard").removeAppender(getName());
        ctx.updateLoggers();
        stop();
    }
}

package dev.piccolo.engine;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** Records every log event of the JVM while open, with every logger at TRACE. */
final class LogCapture implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private final Logger root;

    private final Level previousLevel;

    LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        this.root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        this.previousLevel = root.getLevel();
        root.setLevel(Level.TRACE);
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
    }

    /** Every message, formatted, with its level, logger and stack trace text. */
    List<String> lines() {
        synchronized (appender.list) {
            return appender.list.stream().map(LogCapture::describe).toList();
        }
    }

    /** Formatted messages of one logger at one level. */
    List<String> messages(String logger, Level level) {
        synchronized (appender.list) {
            return appender.list.stream()
                    .filter(event -> event.getLoggerName().equals(logger) && event.getLevel() == level)
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }
    }

    private static String describe(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " "
                + event.getFormattedMessage());
        for (var cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
            text.append(" | ").append(cause.getClassName()).append(": ").append(cause.getMessage());
        }
        return text.toString();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        root.setLevel(previousLevel);
    }
}

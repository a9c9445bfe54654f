package dev.panda;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.panda.config.ConfigException;
import dev.panda.config.ServerConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.LoggerFactory;

/**
 * Logging through SLF4J and Logback, driven by Redis's directives: {@code loglevel} (also by
 * CONFIG SET) and {@code logfile} (empty: standard output; a path: appended to that file). The
 * line format is {@link LogbackDefaults}'s, one line per event.
 *
 * <p>Main thread at start-up; the loglevel listener then runs on the store thread (Logback's
 * level changes are thread-safe).
 */
final class Logging {
    private Logging() {
    }

    /** Applies both directives and follows later changes of loglevel. Throws when the log file cannot be opened. */
    static void configure(ServerConfig config) throws ConfigException {
        applyLevel(config.get("loglevel"));
        config.onChange("loglevel", Logging::applyLevel);
        String file = config.get("logfile");
        if (!file.isEmpty()) {
            logToFile(Path.of(file));
        }
    }

    static void applyLevel(String loglevel) {
        Level level = switch (loglevel) {
            case "debug" -> Level.DEBUG;
            case "verbose" -> Level.DEBUG;
            case "warning" -> Level.WARN;
            case "nothing" -> Level.OFF;
            default -> Level.INFO;
        };
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(level);
        }
    }

    /** Replaces the console appender by one appending to {@code file}, with the same line format. */
    private static void logToFile(Path file) throws ConfigException {
        try (OutputStream probe = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            // opened once here so a bad path is reported as a configuration error, as Redis does
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("Can't open the log file " + file + ": " + e.getMessage());
        }
        if (!(LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root)) {
            return;
        }
        LoggerContext context = root.getLoggerContext();
        Appender<ILoggingEvent> console = root.getAppender("STDOUT");
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(console instanceof OutputStreamAppender<ILoggingEvent> o
                && o.getEncoder() instanceof PatternLayoutEncoder p ? p.getPattern() : LogbackDefaults.PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("FILE");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        if (!appender.isStarted()) {
            throw new ConfigException("Can't open the log file " + file);
        }
        root.addAppender(appender);
        if (console != null) {
            root.detachAppender(console);
            console.stop();
        }
    }
}

package dev.panda;

import ch.qos.logback.classic.Level;
import org.slf4j.LoggerFactory;

/** Maps Redis's {@code loglevel} names onto Logback levels. Main thread, at start-up. */
final class Logging {
    private Logging() {
    }

    static void apply(String loglevel) {
        Level level = switch (loglevel) {
            case "debug" -> Level.DEBUG;
            case "verbose" -> Level.DEBUG;
            case "warning" -> Level.WARN;
            case "nothing" -> Level.OFF;
            default -> Level.INFO;
        };
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(level);
        }
    }
}

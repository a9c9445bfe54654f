package dev.panda;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Panda's default log set-up, made in code (found by Logback through
 * {@code META-INF/services}): one line per event on standard output, INFO and up, library chatter
 * (Netty, Parquet) at WARN. Building it in code rather than parsing a logback.xml takes about a
 * tenth of a second off every start. A {@code logback.configurationFile} system property or a
 * {@code logback-test.xml} on the class path still wins: this then steps aside for Logback's own
 * XML configuration.
 *
 * <p>It carries no {@code @ConfiguratorRank}: the rank only orders configurators found as services
 * (this is the only one), and reading an annotation makes the JVM generate a proxy class, about
 * 20 ms of every start.
 *
 * <p>Runs once, on the thread that first asks SLF4J for a logger (the main thread).
 */
public final class LogbackDefaults extends ContextAwareBase implements Configurator {
    /** The line format; {@link Logging} reuses it for a log file. */
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{0}: %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogbackDefaults.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        for (String quiet : new String[] {"io.netty", "org.apache.hadoop.io.compress.CodecPool", "org.apache.parquet"}) {
            context.getLogger(quiet).setLevel(Level.WARN);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}

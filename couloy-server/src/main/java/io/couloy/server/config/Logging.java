package io.couloy.server.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import org.slf4j.LoggerFactory;

/** Applies redis.conf's {@code loglevel} and {@code logfile} to Logback, the server's SLF4J binding. */
public final class Logging {
    private Logging() {}

    /**
     * Redis's levels onto Logback's: debug and verbose are DEBUG, notice INFO, warning WARN.
     * Netty's own debug output (its settings at start-up) only comes with debug.
     */
    public static void level(String loglevel) {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(switch (loglevel) {
                case "debug", "verbose" -> Level.DEBUG;
                case "notice" -> Level.INFO;
                default -> Level.WARN;
            });
        }
        if (LoggerFactory.getLogger("io.netty") instanceof Logger netty) {
            netty.setLevel(loglevel.equals("verbose") ? Level.INFO : null); // null: as the root logger
        }
    }

    /** Sends the log to {@code logfile} (appending) instead of standard error; "" leaves it where it is. */
    public static void file(String logfile) {
        if (logfile.isEmpty() || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("FILE");
        appender.setFile(logfile);
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
    }
}

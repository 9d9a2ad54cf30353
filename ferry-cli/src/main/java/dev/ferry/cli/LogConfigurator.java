package dev.ferry.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The {@code ferry} command's logging, set up in code (found by Logback through {@code META-INF/services}) rather
 * than from a logback.xml: parsing XML was a tenth of a second of every start. Lines go to standard error as
 * {@code HH:mm:ss.SSS LEVEL Logger: message}; the root level is {@code FERRY_LOG_LEVEL} (default INFO).
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    static final String LEVEL_VARIABLE = "FERRY_LOG_LEVEL";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        LineLayout layout = new LineLayout(ZoneId.systemDefault());
        layout.setContext(context);
        layout.start();
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv(LEVEL_VARIABLE), Level.INFO));
        root.addAppender(stderr);
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("io.vertx").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code HH:mm:ss.SSS LEVEL SimpleLoggerName: message}, then the stack trace if any. */
    static final class LineLayout extends LayoutBase<ILoggingEvent> {
        private final ZoneId zone;

        LineLayout(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(128);
            LocalTime t = LocalTime.ofInstant(Instant.ofEpochMilli(event.getTimeStamp()), zone);
            two(line, t.getHour()).append(':');
            two(line, t.getMinute()).append(':');
            two(line, t.getSecond()).append('.');
            int millis = t.getNano() / 1_000_000;
            line.append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
                    .append((char) ('0' + millis % 10)).append(' ');
            String level = event.getLevel().toString();
            line.append(level).repeat(' ', Math.max(0, 5 - level.length())).append(' ');
            String logger = event.getLoggerName();
            line.append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(": ");
            line.append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
            }
            return line.toString();
        }

        private static StringBuilder two(StringBuilder line, int n) {
            return line.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
        }
    }
}

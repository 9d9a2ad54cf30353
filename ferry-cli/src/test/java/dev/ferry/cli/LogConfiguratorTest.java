package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LogConfiguratorTest {
    private static String line(Level level, String logger, String message, Throwable thrown) {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent(LogConfiguratorTest.class.getName(), context.getLogger(logger), level,
                message, thrown, new Object[] {"x"});
        event.setTimeStamp(1_795_000_000_007L); // 2026-11-18T11:06:40.007Z
        LogConfigurator.LineLayout layout = new LogConfigurator.LineLayout(ZoneOffset.UTC);
        layout.setContext(context);
        return layout.doLayout(event);
    }

    @Test
    void aLineHasTheTimeTheLevelTheLoggersSimpleNameAndTheMessage() {
        assertThat(line(Level.INFO, "dev.ferry.proxy.ServiceProxy", "serving {}", null))
                .isEqualTo("11:06:40.007 INFO  ServiceProxy: serving x" + System.lineSeparator());
        assertThat(line(Level.ERROR, "Plain", "m", null)).startsWith("11:06:40.007 ERROR Plain: m");
    }

    @Test
    void aThrowableFollowsWithItsStackTrace() {
        String text = line(Level.WARN, "a.B", "failed", new IllegalStateException("boom"));
        assertThat(text).startsWith("11:06:40.007 WARN  B: failed" + System.lineSeparator()
                + "java.lang.IllegalStateException: boom").contains("\tat dev.ferry.cli.LogConfiguratorTest");
    }

    @Test
    void theCommandsLoggingIsConfiguredInCode() {
        LoggerContext context = new LoggerContext();
        new LogConfigurator().configure(context);
        assertThat(context.getLogger("root").getAppender("STDERR")).isNotNull();
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    }
}

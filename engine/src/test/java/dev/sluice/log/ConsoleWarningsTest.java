package dev.sluice.log;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Code without a console of its own (a plugin adapter opening its session) warns the user through the logger
 * {@code engine.warn}: its warnings reach the console as [WARNING] lines, with secrets masked; lower levels do not.
 */
class ConsoleWarningsTest {

    @AfterEach
    void reset() {
        LogSetup.close();
    }

    @Test
    void warningsOfTheWarnLoggerReachTheConsole() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EventLog console = EventLog.console(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        console.secrets().add("s3cr3t-token");
        LogSetup.configure(null, LogFormat.TEXT, LogLevel.NONE, "test", console);
        org.slf4j.Logger warn = LoggerFactory.getLogger("engine.warn");
        warn.warn("{}: the server refused the setting {}", "target 'dev'", "spark.sql.maxPlanStringLength=16k");
        warn.info("not for the console");
        warn.warn("token s3cr3t-token");
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("[WARNING]: target 'dev': the server refused the setting spark.sql.maxPlanStringLength=16k"), out);
        assertFalse(out.contains("not for the console"), out);
        assertFalse(out.contains("s3cr3t-token"), out);
        assertTrue(out.contains("[WARNING]: token *****"), out);
    }
}

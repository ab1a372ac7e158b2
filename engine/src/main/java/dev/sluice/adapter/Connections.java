package dev.sluice.adapter;

import dev.sluice.error.DatabaseException;
import dev.sluice.project.Target;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opening connections to cloud warehouses: a hard bound on the time a login may take (drivers retry DNS and
 * HTTP failures for minutes) and failure messages that name the target but never carry a secret.
 */
public final class Connections {
    private static final java.util.regex.Pattern UNKNOWN_HOST = java.util.regex.Pattern.compile("UnknownHostException: ([^\\s\\]]+)");
    private Connections() {
    }

    /** Opens a JDBC connection. */
    @FunctionalInterface
    public interface Opener {
        Connection open() throws SQLException;
    }

    /**
     * @param what    "snowflake account xy12345 as user bob": the start of every failure message
     * @param seconds the most a login may take
     * @param secrets values that must not appear in a message
     */
    public static Connection open(String what, int seconds, List<String> secrets, Opener opener) {
        // A thread of its own, so a driver stuck in its retry loop cannot hold the caller past the bound.
        CompletableFuture<Connection> login = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                login.complete(opener.open());
            } catch (Throwable e) {
                login.completeExceptionally(e);
            }
        }, "sluice-login");
        t.setDaemon(true);
        t.start();
        try {
            return login.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            // Close a connection that arrives after we gave up on it.
            login.thenAccept(Connections::closeQuietly);
            throw new DatabaseException("cannot connect to " + what + ": no answer within " + seconds + " s", null);
        } catch (ExecutionException e) {
            throw new DatabaseException("cannot connect to " + what + ": " + reason(e.getCause(), secrets), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseException("cannot connect to " + what + ": interrupted", null);
        }
    }

    /** The driver's first line, plus the network cause when the driver buries it (e.g. an unknown host), scrubbed. */
    static String reason(Throwable e, List<String> secrets) {
        String msg = firstLine(e);
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String cause = c instanceof java.net.UnknownHostException ? "unknown host " + c.getMessage() : null;
            if (cause == null && c.getMessage() != null) {
                java.util.regex.Matcher m = UNKNOWN_HOST.matcher(c.getMessage());
                if (m.find()) cause = "unknown host " + m.group(1);
            }
            if (cause != null) {
                if (!msg.contains(cause)) msg = msg + " (" + cause + ")";
                break;
            }
        }
        return scrub(msg, secrets);
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return m.lines().findFirst().orElse(m);
    }

    /** Replaces each secret value by ****; short values are left, as they would mask ordinary words. */
    public static String scrub(String message, List<String> secrets) {
        String out = message;
        for (String s : secrets) {
            if (s != null && s.length() >= 4) out = out.replace(s, "****");
        }
        return out;
    }

    /** The values of a target's secret settings (password, token, passphrase ...). */
    public static List<String> secretsOf(Target target) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : target.settings().entrySet()) {
            if (Target.isSecret(e.getKey()) && e.getValue() != null) out.add(e.getValue().toString());
        }
        return out;
    }

    public static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // Nothing to report about a connection nobody uses.
        }
    }
}

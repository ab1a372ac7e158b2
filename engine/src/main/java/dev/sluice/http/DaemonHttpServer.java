package dev.sluice.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * The JDK's HTTP server with one handler for every path, on daemon threads so that a server nobody stopped cannot
 * keep the JVM alive after the CLI returns. What engine docs serve and engine serve listen with.
 */
public final class DaemonHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private DaemonHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param threads requests handled at once, or 0 for as many as arrive (long-lived event streams each hold one)
     */
    public static DaemonHttpServer start(InetSocketAddress address, String threadName, int threads, HttpHandler handler)
            throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        };
        ExecutorService executor = threads > 0 ? Executors.newFixedThreadPool(threads, daemons) : Executors.newCachedThreadPool(daemons);
        server.createContext("/", handler);
        server.setExecutor(executor);
        server.start();
        return new DaemonHttpServer(server, executor);
    }

    /** The port it listens on, the one chosen when 0 was asked. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops at once; requests in flight are cut off. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

package dev.sluice.docs;

import com.sun.net.httpserver.HttpExchange;
import dev.sluice.http.DaemonHttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Serves a generated docs folder on the loopback interface only, read-only: GET and HEAD of
 * files inside the folder, nothing above it (no "..", no symlinks leading out).
 */
public final class DocsServer implements AutoCloseable {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("sql", "text/plain; charset=utf-8"),
            Map.entry("md", "text/plain; charset=utf-8"));

    private final Path root;
    private final DaemonHttpServer http;

    private DocsServer(Path root, int port) throws IOException {
        this.root = root;
        // Started last: its handler reads root.
        this.http = DaemonHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), "docs-server", 4, this::handle);
    }

    /**
     * Starts serving {@code dir} on 127.0.0.1.
     *
     * @param port 0 picks a free port; read it back with {@link #port()}
     */
    public static DocsServer start(Path dir, int port) throws IOException {
        Path root = dir.toRealPath();
        if (!Files.isDirectory(root)) throw new IOException(dir + " is not a folder");
        return new DocsServer(root, port);
    }

    public int port() {
        return http.port();
    }

    /** The site's address, e.g. http://127.0.0.1:8080/. */
    public String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    /** Stops at once; requests in flight are cut off. */
    public void stop() {
        http.close();
    }

    @Override
    public void close() {
        stop();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "method not allowed");
                return;
            }
            Path file = resolve(ex.getRequestURI().getRawPath());
            if (file == null) {
                send(ex, 403, "forbidden");
                return;
            }
            if (Files.isDirectory(file)) file = file.resolve("index.html");
            if (!Files.isRegularFile(file) || !inside(file)) {
                send(ex, 404, "not found");
                return;
            }
            byte[] body = Files.readAllBytes(file);
            ex.getResponseHeaders().set("Content-Type", contentType(file));
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            if (method.equals("HEAD")) {
                ex.sendResponseHeaders(200, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /**
     * Maps a raw request path to a file under the root, or null when it tries to leave it. Each
     * segment is decoded on its own so an encoded "%2e%2e" or "%2f" is judged after decoding.
     */
    Path resolve(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) return null;
        Path p = root;
        for (String seg : rawPath.split("/", -1)) {
            if (seg.isEmpty()) continue;
            String s;
            try {
                s = java.net.URLDecoder.decode(seg.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (s.equals(".") || s.equals("..") || s.contains("/") || s.contains("\\") || s.indexOf('\0') >= 0
                    || s.contains(":")) {
                return null;
            }
            p = p.resolve(s);
        }
        return p.normalize().startsWith(root) ? p : null;
    }

    /** Symbolic links are followed only while they stay within the root. */
    private boolean inside(Path file) throws IOException {
        return file.toRealPath().startsWith(root);
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    private static void send(HttpExchange ex, int status, String text) throws IOException {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}

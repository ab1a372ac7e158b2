package dev.sluice.docs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocsServerTest {
    @TempDir
    Path dir;

    private Path site() throws IOException {
        Path out = dir.resolve("site");
        DocsGenerator.generate(DocsFixture.target(dir), out);
        Files.writeString(dir.resolve("secret.txt"), "TOP SECRET");
        return out;
    }

    /** Sends the request line as given, so the path reaches the server without client-side normalising. */
    private static String raw(int port, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void servesTheSiteWithContentTypes() throws Exception {
        try (DocsServer server = DocsServer.start(site(), 0)) {
            assertTrue(server.port() > 0);
            assertEquals("http://127.0.0.1:" + server.port() + "/", server.url());
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> index = client.send(HttpRequest.newBuilder(URI.create(server.url())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, index.statusCode());
            assertTrue(index.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(index.body().contains("<script src=\"app.js\"></script>"));

            HttpResponse<String> js = client.send(HttpRequest.newBuilder(URI.create(server.url() + "app.js")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, js.statusCode());
            assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
            HttpResponse<String> css = client.send(HttpRequest.newBuilder(URI.create(server.url() + "styles.css?v=1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
            HttpResponse<String> data = client.send(HttpRequest.newBuilder(URI.create(server.url() + "data.js")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(data.body().contains("model.tiny.customers"));

            HttpResponse<String> missing = client.send(HttpRequest.newBuilder(URI.create(server.url() + "nope.html")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(server.url()))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
    }

    @Test
    void refusesPathsOutsideTheSite() throws Exception {
        try (DocsServer server = DocsServer.start(site(), 0)) {
            for (String path : new String[]{"/../secret.txt", "/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
                    "/..%2fsecret.txt", "/./../secret.txt", "/..\\secret.txt", "/%2e%2e%5csecret.txt"}) {
                String response = raw(server.port(), path);
                assertFalse(response.contains("TOP SECRET"), path + " leaked: " + response);
                String status = response.lines().findFirst().orElse("");
                assertTrue(status.contains(" 403 ") || status.contains(" 404 ") || status.contains(" 400 "), path + ": " + status);
            }
            assertTrue(raw(server.port(), "/index.html").startsWith("HTTP/1.1 200"));
        }
    }

    @Test
    void followsNoSymlinkOutOfTheSite() throws Exception {
        Path site = site();
        try {
            Files.createSymbolicLink(site.resolve("leak.txt"), dir.resolve("secret.txt"));
        } catch (UnsupportedOperationException | IOException e) {
            return; // no symlinks on this file system: nothing to check
        }
        try (DocsServer server = DocsServer.start(site, 0)) {
            String response = raw(server.port(), "/leak.txt");
            assertFalse(response.contains("TOP SECRET"), response);
        }
    }

    @Test
    void stopsListening() throws Exception {
        DocsServer server = DocsServer.start(site(), 0);
        int port = server.port();
        assertTrue(raw(port, "/").startsWith("HTTP/1.1 200"));
        server.stop();
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }
}

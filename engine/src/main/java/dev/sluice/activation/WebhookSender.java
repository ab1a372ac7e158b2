package dev.sluice.activation;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * POSTs one JSON batch, retrying with exponential backoff on 5xx, 429 and I/O errors (refused or dropped
 * connections, timeouts). Other answers (4xx) fail at once: sending the same request again cannot help.
 * Header values are sent but never logged or put in an error message.
 */
public final class WebhookSender {
    /** Longest wait a Retry-After header can ask for; beyond that the export fails rather than hangs. */
    static final long MAX_RETRY_AFTER_MS = 60_000;

    /**
     * @param maxRetries   attempts after the first one
     * @param backoffMs    wait before the first retry; doubled each time, up to maxBackoffMs
     * @param timeout      for each request, from sending to the full answer
     */
    public record Settings(URI url, Map<String, String> headers, int maxRetries, long backoffMs, long maxBackoffMs,
                           Duration timeout) {
    }

    /** How the sender waits between attempts; tests can watch it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final HttpClient client;
    private final Settings settings;
    private final Sleeper sleeper;
    private final Consumer<String> log;
    private final Redactor redactor;

    public WebhookSender(HttpClient client, Settings settings, Sleeper sleeper, Consumer<String> log, Redactor redactor) {
        this.client = client;
        this.settings = settings;
        this.sleeper = sleeper;
        this.log = log;
        this.redactor = redactor;
    }

    public static HttpClient client(Duration connectTimeout) {
        // HTTP/1.1: no h2c upgrade dance with receivers that do not speak HTTP/2.
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Sends until the receiver answers 2xx.
     *
     * @param what for messages, e.g. "batch 2/5"
     * @return the number of attempts it took
     * @throws ExportException when the receiver refuses the batch or the retries are used up
     */
    public int send(byte[] body, String idempotencyKey, String what) {
        String lastProblem = null;
        for (int attempt = 0; attempt <= settings.maxRetries(); attempt++) {
            long wait;
            try {
                HttpResponse<String> r = client.send(request(body, idempotencyKey), HttpResponse.BodyHandlers.ofString());
                int status = r.statusCode();
                if (status >= 200 && status < 300) return attempt + 1;
                lastProblem = "HTTP " + status + excerpt(r.body());
                if (status != 429 && status < 500) {
                    throw new ExportException(redactor.scrub("webhook refused " + what + ": " + lastProblem));
                }
                wait = retryAfter(r).orElse(backoff(attempt));
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                wait = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExportException("interrupted while sending " + what);
            }
            if (attempt == settings.maxRetries()) break;
            log.accept(redactor.scrub(what + ": " + lastProblem + "; retry " + (attempt + 1) + " of "
                    + settings.maxRetries() + " in " + wait + " ms"));
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExportException("interrupted while waiting to retry " + what);
            }
        }
        throw new ExportException(redactor.scrub("webhook gave up on " + what + " after " + (settings.maxRetries() + 1)
                + " attempts; last: " + lastProblem));
    }

    private HttpRequest request(byte[] body, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(settings.url()).timeout(settings.timeout())
                .header("Content-Type", "application/json").header("Idempotency-Key", key);
        settings.headers().forEach(b::setHeader);
        return b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** backoff_ms * 2^attempt, capped. */
    long backoff(int attempt) {
        long d = settings.backoffMs();
        for (int i = 0; i < attempt && d < settings.maxBackoffMs(); i++) d *= 2;
        return Math.min(d, settings.maxBackoffMs());
    }

    /** Retry-After in seconds (the HTTP-date form is rare for APIs and falls back to the backoff). */
    private static Optional<Long> retryAfter(HttpResponse<?> r) {
        Optional<String> h = r.headers().firstValue("Retry-After");
        if (h.isEmpty()) return Optional.empty();
        try {
            long seconds = Long.parseLong(h.get().strip());
            return Optional.of(Math.min(Math.max(0, seconds) * 1000, MAX_RETRY_AFTER_MS));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String excerpt(String body) {
        if (body == null || body.isBlank()) return "";
        String b = body.strip().replaceAll("\\s+", " ");
        return ": " + (b.length() > 200 ? b.substring(0, 200) + "..." : b);
    }
}

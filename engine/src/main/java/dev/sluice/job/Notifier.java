package dev.sluice.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * Sends a job's outcome by e-mail (SMTP through Jakarta Mail) and to a webhook (Slack-compatible JSON), as the
 * job's notify: block asks. A notification that cannot be delivered is reported, never fatal: the run's own
 * outcome stands. Messages and errors pass through the mask, so a password or webhook URL is never printed.
 */
public final class Notifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private final UnaryOperator<String> mask;

    /** @param mask hides secrets in anything this class prints */
    public Notifier(UnaryOperator<String> mask) {
        this.mask = mask;
    }

    /** @return one line per notification sent or failed, for the console and the log */
    public List<String> send(JobSpec job, JobOutcome outcome, String logPath) {
        List<String> lines = new ArrayList<>();
        Notifications n = job.notifications();
        if (!n.wants(outcome.outcome())) return lines;
        n.email().ifPresent(e -> {
            try {
                email(e, outcome, logPath);
                lines.add("sent e-mail about job " + job.name() + " (" + outcome.status() + ") to " + String.join(", ", e.to()));
            } catch (MessagingException | RuntimeException x) {
                lines.add("[WARNING]: could not send the e-mail about job " + job.name() + " through " + e.host() + ":"
                        + e.port() + ": " + mask.apply(JobOutcome.firstLine(String.valueOf(x.getMessage()))));
            }
        });
        n.webhook().ifPresent(w -> {
            try {
                int status = webhook(w, job, outcome);
                lines.add(status / 100 == 2 ? "sent webhook about job " + job.name() + " (" + outcome.status() + ")"
                        : "[WARNING]: the webhook about job " + job.name() + " answered HTTP " + status);
            } catch (IOException | RuntimeException x) {
                lines.add("[WARNING]: could not call the webhook about job " + job.name() + ": "
                        + mask.apply(JobOutcome.firstLine(String.valueOf(x.getMessage()))));
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                lines.add("[WARNING]: interrupted while calling the webhook about job " + job.name());
            }
        });
        return lines;
    }

    static String subject(JobOutcome o) {
        String word = switch (o.status()) {
            case "success" -> "succeeded";
            case "warning" -> "warned";
            default -> "FAILED";
        };
        String node = o.failures().isEmpty() ? "" : ": " + o.failures().get(0).uniqueId();
        return "[sluice] job " + o.job() + " " + word + node;
    }

    String body(JobOutcome o, String logPath) {
        StringBuilder b = new StringBuilder(mask.apply(o.summary())).append("\n\n");
        b.append("run id: ").append(o.runId()).append('\n');
        b.append("attempts: ").append(o.attempts()).append('\n');
        for (JobOutcome.NodeProblem p : o.failures()) {
            b.append('\n').append(p.status().toUpperCase(java.util.Locale.ROOT)).append(' ').append(p.uniqueId()).append('\n')
                    .append(mask.apply(p.message())).append('\n');
        }
        if (logPath != null) b.append("\nlog: ").append(logPath).append('\n');
        return b.toString();
    }

    private void email(Notifications.Email e, JobOutcome o, String logPath) throws MessagingException {
        Properties props = new Properties();
        props.put("mail.smtp.host", e.host());
        props.put("mail.smtp.port", Integer.toString(e.port()));
        props.put("mail.smtp.connectiontimeout", Long.toString(TIMEOUT.toMillis()));
        props.put("mail.smtp.timeout", Long.toString(TIMEOUT.toMillis()));
        if (e.startTls()) props.put("mail.smtp.starttls.required", "true");
        if (e.username() != null) props.put("mail.smtp.auth", "true");
        Session session = Session.getInstance(props);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(e.from()));
        for (String to : e.to()) m.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject(o), StandardCharsets.UTF_8.name());
        m.setText(body(o, logPath), StandardCharsets.UTF_8.name());
        if (e.username() != null) {
            Transport.send(m, e.username(), e.password() == null ? "" : e.password());
        } else {
            Transport.send(m);
        }
    }

    private int webhook(Notifications.Webhook w, JobSpec job, JobOutcome o) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", mask.apply(subject(o) + "\n" + o.summary()));
        body.put("job", o.job());
        body.put("status", o.status());
        body.put("run_id", o.runId());
        body.put("attempts", o.attempts());
        body.put("elapsed_seconds", o.elapsed().toMillis() / 1000.0);
        body.put("tags", job.tags());
        List<Map<String, String>> failures = new ArrayList<>();
        for (JobOutcome.NodeProblem p : o.failures()) {
            failures.add(Map.of("node", p.uniqueId(), "status", p.status(), "message", mask.apply(p.message())));
        }
        body.put("failures", failures);
        HttpRequest req = HttpRequest.newBuilder(URI.create(w.url())).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8)).build();
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        return client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}

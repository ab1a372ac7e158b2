package dev.sluice.job;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whom a job tells about its runs, and on which outcomes (failure by default). Secrets (SMTP password, webhook
 * URL) come from environment variables through env_var() in jobs.yml and are never printed or logged.
 */
public record Notifications(Set<Outcome> on, Optional<Email> email, Optional<Webhook> webhook) {
    public static final Notifications NONE = new Notifications(Set.of(), Optional.empty(), Optional.empty());

    public Notifications {
        on = Set.copyOf(on);
    }

    public boolean wants(Outcome o) {
        return on.contains(o) && (email.isPresent() || webhook.isPresent());
    }

    /** An SMTP server and the addresses a message goes to. */
    public record Email(List<String> to, String from, String host, int port, String username, String password,
                        boolean startTls) {
        public Email {
            to = List.copyOf(to);
        }
    }

    /** A URL that gets a Slack-compatible JSON message ({"text": ...} plus the run's details). */
    public record Webhook(String url) {
    }

    /** The outcome of a job run, as notifications name it. */
    public enum Outcome {
        SUCCESS, WARNING, FAILURE;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

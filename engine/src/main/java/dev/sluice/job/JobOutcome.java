package dev.sluice.job;

import java.time.Duration;
import java.util.List;

/**
 * What one run of a job came to, as notifications and the history report it.
 *
 * @param status   success, warning, failure (a node failed), error (the run could not start: bad input), skipped
 * @param failures the nodes that failed or warned, with their messages (secrets masked)
 * @param exitCode what `engine job run` exits with
 */
public record JobOutcome(String job, String runId, String status, int attempts, Duration elapsed, List<NodeProblem> failures,
                         String message, int exitCode) {

    public JobOutcome {
        failures = List.copyOf(failures);
    }

    /** A node that ended in error, fail or warn. */
    public record NodeProblem(String uniqueId, String status, String message) {
    }

    public Notifications.Outcome outcome() {
        return switch (status) {
            case "success" -> Notifications.Outcome.SUCCESS;
            case "warning" -> Notifications.Outcome.WARNING;
            default -> Notifications.Outcome.FAILURE;
        };
    }

    /** One line: "job nightly failed after 2 attempts in 3.1s: model.shop.orders: Binder Error ...". */
    public String summary() {
        String verb = switch (status) {
            case "success" -> "succeeded";
            case "warning" -> "succeeded with warnings";
            case "skipped" -> "was skipped";
            case "error" -> "could not run";
            default -> "failed";
        };
        String tail = !failures.isEmpty() ? ": " + failures.get(0).uniqueId() + ": " + firstLine(failures.get(0).message())
                + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more)" : "")
                : message.isEmpty() ? "" : ": " + message;
        return "job " + job + " " + verb + (attempts > 1 ? " after " + attempts + " attempts" : "")
                + String.format(java.util.Locale.ROOT, " in %.1fs", elapsed.toMillis() / 1000.0) + tail;
    }

    static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}

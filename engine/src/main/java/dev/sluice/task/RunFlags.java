package dev.sluice.task;

/**
 * Switches that change how a run goes rather than what it selects.
 *
 * @param failFast     stop starting nodes after the first error or failure
 * @param empty        every ref() and source() reads zero rows: schema-only builds (dbt's --empty)
 * @param targetPath   overrides the project's target-path; null keeps it
 * @param invocationId the id in artifacts and log events; null for a fresh one
 * @param partialParse reuse the parse kept in target/ for unchanged nodes (dbt's --partial-parse, the default)
 */
public record RunFlags(boolean failFast, boolean empty, String targetPath, String invocationId, boolean partialParse) {
    public static final RunFlags DEFAULT = new RunFlags(false, false, null, null, true);

    public RunFlags(boolean failFast, boolean empty, String targetPath, String invocationId) {
        this(failFast, empty, targetPath, invocationId, true);
    }
}

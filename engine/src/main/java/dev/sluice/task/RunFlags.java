package dev.sluice.task;

/**
 * Switches that change how a run goes rather than what it selects.
 *
 * @param failFast     stop starting nodes after the first error or failure
 * @param empty        every ref() and source() reads zero rows: schema-only builds (dbt's --empty)
 * @param targetPath   overrides the project's target-path; null keeps it
 * @param invocationId the id in artifacts and log events; null for a fresh one
 * @param state        --state, --defer, --favor-state
 * @param eventTimeStart with eventTimeEnd, the event-time range microbatch models build (dbt's --event-time-start)
 * @param skipUnchanged views, tables and seeds whose fingerprint is unchanged are not rebuilt (false with
 *                     --no-skip-unchanged)
 * @param partialParse reuse the parse kept in target/ for unchanged nodes (dbt's --partial-parse, the default)
 * @param tags         the run's --tag key=value labels, written to run_results.json and the log
 */
public record RunFlags(boolean failFast, boolean empty, String targetPath, String invocationId,
                       dev.sluice.state.StateFlags state, java.time.LocalDateTime eventTimeStart,
                       java.time.LocalDateTime eventTimeEnd, boolean skipUnchanged,
                       boolean partialParse, RunTags tags) {
    public RunFlags {
        if (tags == null) tags = RunTags.NONE;
    }

    public RunFlags(boolean failFast, boolean empty, String targetPath, String invocationId,
                    dev.sluice.state.StateFlags state, java.time.LocalDateTime eventTimeStart,
                    java.time.LocalDateTime eventTimeEnd, boolean skipUnchanged, boolean partialParse) {
        this(failFast, empty, targetPath, invocationId, state, eventTimeStart, eventTimeEnd, skipUnchanged, partialParse,
                RunTags.NONE);
    }

    public static final RunFlags DEFAULT = new RunFlags(false, false, null, null);

    public RunFlags(boolean failFast, boolean empty, String targetPath, String invocationId) {
        this(failFast, empty, targetPath, invocationId, dev.sluice.state.StateFlags.NONE);
    }

    public RunFlags(boolean failFast, boolean empty, String targetPath, String invocationId,
                    dev.sluice.state.StateFlags state) {
        this(failFast, empty, targetPath, invocationId, state, null, null, true, true);
    }

    public RunFlags withState(dev.sluice.state.StateFlags s) {
        return new RunFlags(failFast, empty, targetPath, invocationId, s, eventTimeStart, eventTimeEnd, skipUnchanged, partialParse, tags);
    }

    /** --event-time-start / --event-time-end: the batches microbatch models build (UTC), or nulls. */
    public RunFlags withEventTime(java.time.LocalDateTime start, java.time.LocalDateTime end) {
        return new RunFlags(failFast, empty, targetPath, invocationId, state, start, end, skipUnchanged, partialParse, tags);
    }

    public RunFlags withSkipUnchanged(boolean skip) {
        return new RunFlags(failFast, empty, targetPath, invocationId, state, eventTimeStart, eventTimeEnd, skip, partialParse, tags);
    }

    /** --no-partial-parse: parse every node again (see compile.ParseCache). */
    public RunFlags withPartialParse(boolean on) {
        return new RunFlags(failFast, empty, targetPath, invocationId, state, eventTimeStart, eventTimeEnd, skipUnchanged, on, tags);
    }

    /** --tag key=value labels of this run. */
    public RunFlags withTags(RunTags t) {
        return new RunFlags(failFast, empty, targetPath, invocationId, state, eventTimeStart, eventTimeEnd, skipUnchanged, partialParse, t);
    }
}

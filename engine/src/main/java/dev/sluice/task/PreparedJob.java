package dev.sluice.task;

import dev.sluice.adapter.Session;
import dev.sluice.exec.NodeJob;
import dev.sluice.exec.NodeResult;
import dev.sluice.exec.WrappedJob;

import java.util.function.Consumer;

/** A node's job with a step run first on the job's own session (an input check, a file load). */
final class PreparedJob extends WrappedJob {
    private final Consumer<Session> first;
    private final boolean whenUnchanged;

    private PreparedJob(NodeJob job, Consumer<Session> first, boolean whenUnchanged) {
        super(job);
        this.first = first;
        this.whenUnchanged = whenUnchanged;
    }

    /**
     * @param whenUnchanged whether the step also runs before the unchanged-node check (a load must, since the
     *                      check reads what it loads; a validation need not)
     */
    static NodeJob of(NodeJob job, Consumer<Session> first, boolean whenUnchanged) {
        return new PreparedJob(job, first, whenUnchanged);
    }

    @Override
    public NodeResult execute(Session session) {
        first.accept(session);
        return inner.execute(session);
    }

    @Override
    public NodeResult unchanged(Session session) {
        if (whenUnchanged) first.accept(session);
        return inner.unchanged(session);
    }
}

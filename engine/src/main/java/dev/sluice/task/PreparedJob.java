package dev.sluice.task;

import dev.sluice.adapter.Session;
import dev.sluice.exec.NodeJob;
import dev.sluice.exec.NodeResult;

import java.util.function.Consumer;

/** A node's job with a step run first on the job's own session (an input check, a file load). */
final class PreparedJob {
    private PreparedJob() {
    }

    /**
     * @param whenUnchanged whether the step also runs before the unchanged-node check (a load must, since the
     *                      check reads what it loads; a validation need not)
     */
    static NodeJob of(NodeJob job, Consumer<Session> first, boolean whenUnchanged) {
        return new NodeJob() {
            @Override
            public String uniqueId() {
                return job.uniqueId();
            }

            @Override
            public NodeJob unwrapped() {
                return job.unwrapped();
            }

            @Override
            public String describe() {
                return job.describe();
            }

            @Override
            public String kind() {
                return job.kind();
            }

            @Override
            public NodeResult execute(Session session) {
                first.accept(session);
                return job.execute(session);
            }

            @Override
            public NodeResult unchanged(Session session) {
                if (whenUnchanged) first.accept(session);
                return job.unchanged(session);
            }
        };
    }
}

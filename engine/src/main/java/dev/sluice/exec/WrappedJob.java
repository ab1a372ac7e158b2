package dev.sluice.exec;

import dev.sluice.adapter.Session;

/**
 * A node job that adds something around another one (fingerprints, a load or check run first): it is announced as
 * the job it wraps and, unless a subclass says otherwise, runs it unchanged.
 */
public abstract class WrappedJob implements NodeJob {
    protected final NodeJob inner;

    protected WrappedJob(NodeJob inner) {
        this.inner = inner;
    }

    @Override
    public final String uniqueId() {
        return inner.uniqueId();
    }

    @Override
    public final NodeJob unwrapped() {
        return inner.unwrapped();
    }

    @Override
    public final String describe() {
        return inner.describe();
    }

    @Override
    public final String kind() {
        return inner.kind();
    }

    @Override
    public NodeResult execute(Session session) {
        return inner.execute(session);
    }

    @Override
    public NodeResult unchanged(Session session) {
        return inner.unchanged(session);
    }
}

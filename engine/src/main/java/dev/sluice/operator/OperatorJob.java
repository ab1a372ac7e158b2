package dev.sluice.operator;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.exec.NodeJob;
import dev.sluice.exec.NodeResult;
import dev.sluice.exec.NodeStatus;
import dev.sluice.exec.Progress;
import dev.sluice.materialize.Hooks;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** Runs an operator node as a DAG job. */
public final class OperatorJob implements NodeJob {
    private final CompiledNode node;
    private final Operator operator;
    private final Map<String, Relation> outputs;
    private final Adapter adapter;
    private final Path projectRoot;
    private final Path targetDir;
    private final Instant runStartedAt;
    private final Progress progress;
    private final String engineSchema;

    public OperatorJob(CompiledNode node, Operator operator, Map<String, Relation> outputs, Adapter adapter,
                       Path projectRoot, Path targetDir, Instant runStartedAt, Progress progress, String engineSchema) {
        this.engineSchema = engineSchema;
        this.node = node;
        this.operator = operator;
        this.outputs = outputs;
        this.adapter = adapter;
        this.projectRoot = projectRoot;
        this.targetDir = targetDir;
        this.runStartedAt = runStartedAt;
        this.progress = progress;
    }

    @Override
    public String uniqueId() {
        return node.uniqueId();
    }

    @Override
    public String describe() {
        return operator.type() + " operator " + node.name();
    }

    @Override
    public String kind() {
        return "operator";
    }

    @Override
    public NodeResult execute(Session s) {
        Instant start = Instant.now();
        Hooks.before(s, node);
        OperatorResult r = operator.run(new OperatorContext(node, outputs, adapter, s, projectRoot, targetDir,
                runStartedAt, msg -> progress.line("  " + node.name() + ": " + msg), operator.configKeys(), engineSchema));
        Hooks.after(s, node, adapter);
        return new NodeResult(uniqueId(), NodeStatus.SUCCESS, r.message(), start, Instant.now(), null, null,
                Map.of("rows_affected", r.rows()));
    }
}

package dev.sluice.task;

import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.error.EngineException;
import dev.sluice.exec.NodeJob;
import dev.sluice.exec.NodeResult;

/** A selected node that cannot run (it does not compile, or its config is invalid): running it reports the error. */
final class FailedJob implements NodeJob {
    private final CompiledNode node;
    private final EngineException error;

    FailedJob(CompiledNode node, EngineException error) {
        this.node = node;
        this.error = error;
    }

    @Override
    public String uniqueId() {
        return node.uniqueId();
    }

    @Override
    public String describe() {
        String kind = node.node().type().label();
        if (node.node().type() == dev.sluice.project.NodeType.UNIT_TEST && node.node().testedId() != null) {
            // As a unit test that runs names itself (dbt's "unit_test my_model::my_test"; a version as my_model.v2).
            String tested = node.node().testedId();
            String model = tested.substring(tested.indexOf('.', tested.indexOf('.') + 1) + 1);
            return "unit_test " + model + "::" + node.node().name();
        }
        return (kind.equals("model") ? "sql " + node.materialized() + " model " : kind + " ") + node.relation().display();
    }

    @Override
    public String kind() {
        String kind = node.node().type().label();
        return kind.equals("model") ? node.materialized() + " model" : kind;
    }

    @Override
    public NodeResult execute(Session session) {
        throw error;
    }
}

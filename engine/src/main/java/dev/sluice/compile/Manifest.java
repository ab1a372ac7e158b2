package dev.sluice.compile;

import dev.sluice.error.EngineException;
import dev.sluice.project.Project;
import dev.sluice.project.SourceTable;
import dev.sluice.project.Target;

import java.util.List;
import java.util.Map;

/**
 * A compiled project: every node with its SQL and edges, and the sources it reads.
 *
 * @param onRunStart rendered on-run-start hooks of the project file (on-run-end hooks are rendered after the
 *                   run, with its results: see Compiler#renderOnRunEnd)
 * @param compileErrors nodes whose SQL could not be compiled once the project was parsed (its node in nodes holds
 *                   no SQL); as in dbt, they fail only if they are run, as an error of that node
 * @param unitTests  the fixtures of each compiled unit test, by unique id
 */
public record Manifest(Project project, Target target, Map<String, CompiledNode> nodes,
                       Map<String, SourceTable> sources, List<String> warnings, List<String> onRunStart,
                       Map<String, EngineException> compileErrors, Map<String, UnitTestPlan> unitTests) {

    public CompiledNode node(String uniqueId) {
        return nodes.get(uniqueId);
    }

    /** Throws the compile error of the first of these nodes that has one (for commands that must compile them all). */
    public void requireCompiled(Iterable<String> ids) {
        for (String id : ids) {
            EngineException e = compileErrors.get(id);
            if (e != null) throw e;
        }
    }
}

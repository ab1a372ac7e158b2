package dev.sluice.compile;

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
 */
public record Manifest(Project project, Target target, Map<String, CompiledNode> nodes,
                       Map<String, SourceTable> sources, List<String> warnings, List<String> onRunStart) {

    public CompiledNode node(String uniqueId) {
        return nodes.get(uniqueId);
    }
}

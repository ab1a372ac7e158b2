package dev.sluice.project;

import dev.sluice.template.MacroFile;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything loaded from a project folder, before any template is rendered.
 *
 * @param unitTests the unit_tests of schema files by unique id; each is also a node of type UNIT_TEST
 */
public record Project(ProjectConfig config, List<Node> nodes, List<SourceTable> sources, List<MacroFile> macroFiles,
                      Map<String, String> docs, List<String> warnings, Map<String, UnitTestSpec> unitTests) {

    public Optional<Node> node(String uniqueId) {
        return nodes.stream().filter(n -> n.uniqueId().equals(uniqueId)).findFirst();
    }

    public String name() {
        return config.name();
    }
}

package dev.sluice.project;

import dev.sluice.template.MacroFile;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything loaded from a project folder, before any template is rendered.
 *
 * @param packages the installed packages, by package name (their nodes, sources and macros are in the lists)
 * @param unitTests the unit_tests of the root project's schema files by unique id; each is also a UNIT_TEST node
 * @param groups    the groups: blocks of the project and its packages, by name
 * @param docBlocks where each of docs was found, by name
 */
public record Project(ProjectConfig config, List<Node> nodes, List<SourceTable> sources, List<MacroFile> macroFiles,
                      Map<String, String> docs, List<String> warnings, Map<String, ProjectConfig> packages,
                      Map<String, UnitTestSpec> unitTests, Map<String, GroupSpec> groups,
                      Map<String, DocBlock> docBlocks) {

    public Project(ProjectConfig config, List<Node> nodes, List<SourceTable> sources, List<MacroFile> macroFiles,
                   Map<String, String> docs, List<String> warnings, Map<String, ProjectConfig> packages,
                   Map<String, UnitTestSpec> unitTests) {
        this(config, nodes, sources, macroFiles, docs, warnings, packages, unitTests, Map.of(), Map.of());
    }

    /** This project with more warnings (from files read beside it, such as profiles.yml). */
    public Project withWarnings(List<String> more) {
        if (more.isEmpty()) return this;
        List<String> all = new java.util.ArrayList<>(warnings);
        all.addAll(more);
        return new Project(config, nodes, sources, macroFiles, docs, List.copyOf(all), packages, unitTests, groups, docBlocks);
    }

    /** The project file of the root project or of the package named pkg; null if there is none. */
    public ProjectConfig configOf(String pkg) {
        return pkg == null || pkg.equals(name()) ? config : packages.get(pkg);
    }

    /** Whether name is the root project or an installed package. */
    public boolean hasPackage(String pkg) {
        return pkg.equals(name()) || packages.containsKey(pkg);
    }

    public Optional<Node> node(String uniqueId) {
        return nodes.stream().filter(n -> n.uniqueId().equals(uniqueId)).findFirst();
    }

    public String name() {
        return config.name();
    }
}

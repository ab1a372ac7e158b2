package dev.sluice.project;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The project file (project.yml, or dbt_project.yml for dbt projects).
 *
 * @param nodeConfigs per resource type ("models", "seeds", "tests", "snapshots"): the nested folder config tree
 * @param packagesInstallPath where `engine deps` installs packages (dbt's packages-install-path)
 * @param dispatch    macro namespace -> packages to search, from the project's dispatch: list
 * @param requireDbtVersion the dbt version ranges the project declares (require-dbt-version), each like ">=1.3.0"
 */
public record ProjectConfig(Path root, Path file, String name, String profile,
                            List<String> modelPaths, List<String> seedPaths, List<String> testPaths,
                            List<String> macroPaths, List<String> snapshotPaths, List<String> docsPaths,
                            String targetPath, List<String> cleanTargets, Map<String, Object> vars,
                            Map<String, Map<String, Object>> nodeConfigs,
                            List<String> onRunStart, List<String> onRunEnd,
                            String packagesInstallPath, Map<String, List<String>> dispatch,
                            List<String> requireDbtVersion) {

    public Path targetDir() {
        return root.resolve(targetPath);
    }

    public Path packagesDir() {
        return root.resolve(packagesInstallPath);
    }

    /** The same project writing to another target folder (--target-path). */
    public ProjectConfig withTargetPath(String path) {
        return new ProjectConfig(root, file, name, profile, modelPaths, seedPaths, testPaths, macroPaths, snapshotPaths,
                docsPaths, path, cleanTargets, vars, nodeConfigs, onRunStart, onRunEnd, packagesInstallPath, dispatch,
                requireDbtVersion);
    }
}

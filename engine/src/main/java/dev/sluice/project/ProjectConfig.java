package dev.sluice.project;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The project file (project.yml, or dbt_project.yml for dbt projects).
 *
 * @param nodeConfigs per resource type ("models", "seeds", "tests", "snapshots"): the nested folder config tree
 */
public record ProjectConfig(Path root, Path file, String name, String profile,
                            List<String> modelPaths, List<String> seedPaths, List<String> testPaths,
                            List<String> macroPaths, List<String> snapshotPaths, List<String> docsPaths,
                            String targetPath, List<String> cleanTargets, Map<String, Object> vars,
                            Map<String, Map<String, Object>> nodeConfigs,
                            List<String> onRunStart, List<String> onRunEnd) {

    public Path targetDir() {
        return root.resolve(targetPath);
    }

    /** The same project writing to another target folder (--target-path). */
    public ProjectConfig withTargetPath(String path) {
        return new ProjectConfig(root, file, name, profile, modelPaths, seedPaths, testPaths, macroPaths, snapshotPaths,
                docsPaths, path, cleanTargets, vars, nodeConfigs, onRunStart, onRunEnd);
    }
}

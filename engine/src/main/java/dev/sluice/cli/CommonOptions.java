package dev.sluice.cli;

import dev.sluice.error.ConfigException;
import dev.sluice.task.Invocation;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Options every project command takes, named as in dbt. */
public class CommonOptions {
    @Option(names = "--project-dir", description = "Folder with project.yml or dbt_project.yml (default: current folder)")
    Path projectDir = Path.of(".");

    @Option(names = "--profiles-dir", description = "Folder with profiles.yml (default: project dir, current dir, ~/.dbt)")
    Path profilesDir;

    @Option(names = {"-t", "--target"}, description = "Output of the profile to use")
    String target;

    @Option(names = "--vars", description = "YAML mapping of variables, e.g. '{start_date: 2024-01-01}'")
    String vars;

    @Option(names = "--indirect-selection", defaultValue = "eager",
            description = "Tests that come with selected nodes: eager (default), buildable, cautious, empty")
    String indirectSelection;

    Invocation invocation(String command, Integer threads, List<String> select, List<String> exclude,
                          boolean fullRefresh, boolean storeFailures) {
        return new Invocation(command, projectDir, profilesDir, target, parseVars(vars), threads,
                select == null ? List.of() : select, exclude == null ? List.of() : exclude, fullRefresh, storeFailures,
                dev.sluice.graph.IndirectSelection.parse(indirectSelection));
    }

    static Map<String, Object> parseVars(String text) {
        if (text == null || text.isBlank()) return Map.of();
        Object parsed;
        try {
            parsed = new Yaml().load(text);
        } catch (YAMLException e) {
            throw new ConfigException("--vars is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new ConfigException("--vars must be a YAML mapping such as '{key: value}', got: " + text);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    static List<String> flatten(List<String> values) {
        List<String> out = new ArrayList<>();
        if (values != null) for (String v : values) out.addAll(List.of(v.trim().split("\\s+")));
        out.removeIf(String::isEmpty);
        return out;
    }
}

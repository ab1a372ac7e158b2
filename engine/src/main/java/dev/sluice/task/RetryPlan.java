package dev.sluice.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.error.ConfigException;
import dev.sluice.project.ProjectConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * retry: the last run's command again, on only the nodes that errored, failed or were skipped, with the
 * last run's target, vars, full-refresh and threads unless given anew.
 */
public final class RetryPlan {
    private static final Set<String> RETRY = Set.of("error", "fail", "skipped", "runtime error", "partial success");
    private final Invocation base;

    public RetryPlan(Invocation base) {
        this.base = base;
    }

    public Optional<Invocation> next() {
        ProjectConfig config = Workspace.loadConfig(base);
        Path file = config.targetDir().resolve("run_results.json");
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("there is no previous run to retry: " + config.root().relativize(file) + " is missing");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode r : root.path("results")) {
            // A node skipped as unchanged (dev.sluice.state) was up to date, not cut short.
            boolean unchanged = r.path("message").asText().equals("SKIP (unchanged)");
            if (RETRY.contains(r.path("status").asText()) && !unchanged) ids.add("unique_id:" + r.path("unique_id").asText());
        }
        if (ids.isEmpty()) return Optional.empty();
        JsonNode args = root.path("args");
        String command = args.path("which").asText("build");
        if (command.equals("retry")) command = "build";
        Map<String, Object> vars = new LinkedHashMap<>();
        args.path("vars").properties().forEach(e -> vars.put(e.getKey(), new ObjectMapper().convertValue(e.getValue(), Object.class)));
        if (!base.vars().isEmpty()) vars.putAll(base.vars());
        String target = base.target() != null ? base.target() : args.path("target").asText(null);
        Integer threads = base.threads() != null ? base.threads() : (args.has("threads") ? args.get("threads").asInt() : null);
        return Optional.of(new Invocation(command, base.projectDir(), base.profilesDir(), target, vars, threads, ids,
                List.of(), args.path("full_refresh").asBoolean(false), false, base.indirectSelection(), base.lockTimeout(), base.flags()));
    }
}

package dev.sluice.task;

import dev.sluice.error.ConfigException;
import dev.sluice.project.ProjectConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** clean: deletes the project's clean-targets (target/ by default), never anything outside the project. */
public final class CleanTask {
    private final ProjectConfig config;

    public CleanTask(ProjectConfig config) {
        this.config = config;
    }

    public void execute(PrintStream out) {
        for (String t : config.cleanTargets()) {
            Path dir = config.root().resolve(t).normalize();
            if (!dir.startsWith(config.root()) || dir.equals(config.root())) {
                throw new ConfigException("clean-targets entry '" + t + "' is not a folder inside the project");
            }
            if (!Files.exists(dir)) continue;
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            } catch (IOException e) {
                throw new ConfigException("cannot delete " + dir + ": " + e.getMessage());
            }
            out.println("Cleaned " + config.root().relativize(dir) + "/");
        }
        out.println("Finished cleaning all paths.");
    }
}

package dev.sluice.task;

import dev.sluice.compile.Secrets;
import dev.sluice.error.EngineException;
import dev.sluice.exec.Progress;
import dev.sluice.deps.HubRegistry;
import dev.sluice.deps.PackageInstaller;
import dev.sluice.project.ProjectConfig;
import dev.sluice.project.ProjectConfigLoader;
import dev.sluice.template.TemplateEngine;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** deps: installs the project's packages; no profile or warehouse is needed. */
public final class DepsTask {
    private final Path projectDir;
    private final boolean upgrade;

    public DepsTask(Path projectDir, boolean upgrade) {
        this.projectDir = projectDir;
        this.upgrade = upgrade;
    }

    /** @param progress the invocation's log, told the secrets so its file log masks them too (a JGit error's url) */
    public void execute(PrintStream out, Progress progress) {
        Secrets secrets = new Secrets();
        progress.masking(secrets::mask);
        try {
            ProjectConfig config = new ProjectConfigLoader().load(projectDir);
            // packages.yml may use env_var(), secret ones included (a token in a git URL), as dbt allows.
            TemplateEngine plain = new TemplateEngine(List.of());
            Path file = Path.of("packages.yml");
            new PackageInstaller(config, new HubRegistry(), s -> s.contains("{{") || s.contains("{%")
                    ? plain.render(file, s, Map.of(), Map.of("env_var", secrets.secretEnvVar())) : s, secrets::mask, out)
                    .install(upgrade);
        } catch (EngineException e) {
            throw e.masked(secrets::mask);
        }
    }
}

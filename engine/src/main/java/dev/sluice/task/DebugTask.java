package dev.sluice.task;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Adapters;
import dev.sluice.adapter.Session;
import dev.sluice.error.EngineException;
import dev.sluice.project.ProjectConfig;
import dev.sluice.project.Target;

import java.io.PrintStream;

/** debug: checks the project file, the profile and the connection, saying which one is wrong. */
public final class DebugTask {
    private final Invocation inv;

    public DebugTask(Invocation inv) {
        this.inv = inv;
    }

    /** @return true when every check passed; a failing check throws with its reason */
    public boolean execute(PrintStream out) {
        out.println("engine version: " + dev.sluice.log.Version.current().line());
        out.println("java: " + System.getProperty("java.version"));
        ProjectConfig config = Workspace.loadConfig(inv);
        out.println("project file: " + config.file() + " [OK found and valid]");
        Target target = Workspace.loadTarget(inv, config);
        out.println("profiles.yml: " + (target.source() == null ? "(none found: using the embedded DuckDB default)" : target.source() + " [OK found and valid]"));
        out.println("profile: " + target.profile() + ", target: " + target.name() + ", type: " + target.type()
                + ", schema: " + target.schema() + ", threads: " + target.threads());
        try (Adapter adapter = Adapters.forTarget(target)) {
            out.println("connection: " + adapter.describe());
            try (Session s = adapter.open()) {
                s.query("select 1 as ok");
            }
            out.println("Connection test: [OK connection ok]");
        } catch (EngineException e) {
            out.println("Connection test: [ERROR]");
            throw e;
        }
        out.println("All checks passed!");
        return true;
    }
}

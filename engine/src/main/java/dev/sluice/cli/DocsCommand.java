package dev.sluice.cli;

import dev.sluice.docs.DocsGenerator;
import dev.sluice.docs.DocsServer;
import dev.sluice.error.ConfigException;
import dev.sluice.exec.Progress;
import dev.sluice.project.ProjectConfig;
import dev.sluice.compile.Manifest;
import dev.sluice.task.CatalogTask;
import dev.sluice.task.CompileTask;
import dev.sluice.task.Invocation;
import dev.sluice.task.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** docs generate / docs serve. */
@Command(name = "docs", description = "Generate or serve the project's documentation site.",
        subcommands = {DocsCommand.Generate.class, DocsCommand.Serve.class})
final class DocsCommand implements Runnable {
    @Override
    public void run() {
        throw new ConfigException("say 'docs generate' or 'docs serve'");
    }

    @Command(name = "generate", description = "Compile the project, write target/catalog.json from the warehouse and a static site to target/docs.")
    static final class Generate extends Main.NodeCommand {
        @Option(names = "--no-compile", description = "Use the manifest of the last run instead of compiling")
        boolean noCompile;

        @Option(names = "--empty-catalog", description = "Write catalog.json without reading the warehouse")
        boolean emptyCatalog;

        @Override
        public Integer call() {
            Invocation inv = invocation("docs");
            ProjectConfig config = Workspace.loadConfig(inv);
            Progress p = progress();
            try (Workspace ws = Workspace.open(inv)) {
                // --no-compile keeps the last manifest.json; the catalog still needs the relations, which a
                // listing's parse gives without rendering SQL.
                Manifest m = noCompile ? ws.compileForListing()
                        : new CompileTask(ws, p).execute(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
                CatalogTask.Result catalog = CatalogTask.write(ws, m, emptyCatalog);
                catalog.errors().forEach(e -> p.warn("CatalogWarning", "catalog: cannot read " + e));
                p.line("Catalog of " + catalog.nodes() + " nodes and " + catalog.sources() + " sources written to "
                        + config.root().relativize(config.targetDir().resolve("catalog.json")));
            }
            DocsGenerator.Site site = DocsGenerator.generate(config.targetDir(), DocsGenerator.defaultOutDir(config.targetDir()));
            site.warnings().forEach(w -> p.warn("DocsWarning", w));
            p.line("Documentation of " + site.nodes() + " nodes and " + site.tests() + " tests written to "
                    + config.root().relativize(site.index()));
            return Main.OK;
        }
    }

    @Command(name = "serve", description = "Serve target/docs on 127.0.0.1 until interrupted.")
    static final class Serve extends Main.NodeCommand {
        @Option(names = "--port", defaultValue = "8080", description = "Port on 127.0.0.1 (default: 8080)")
        int port;

        @Override
        public Integer call() throws IOException, InterruptedException {
            ProjectConfig config = Workspace.loadConfig(invocation("docs"));
            Path dir = DocsGenerator.defaultOutDir(config.targetDir());
            if (!Files.isRegularFile(dir.resolve("index.html"))) {
                throw new ConfigException("no documentation in " + dir + ": run 'docs generate' first");
            }
            if (port < 0 || port > 65535) throw new ConfigException("--port must be between 0 and 65535, got " + port);
            DocsServer started;
            try {
                started = DocsServer.start(dir, port);
            } catch (java.net.BindException e) {
                throw new ConfigException("port " + port + " is already in use; choose another with --port");
            }
            try (DocsServer server = started) {
                progress().line("Serving docs at " + server.url() + " (Ctrl-C to stop)");
                Thread.currentThread().join();
            }
            return Main.OK;
        }
    }
}

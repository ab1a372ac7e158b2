package dev.sluice.cli;

import dev.sluice.docs.DocsGenerator;
import dev.sluice.docs.DocsServer;
import dev.sluice.error.ConfigException;
import dev.sluice.exec.Progress;
import dev.sluice.project.ProjectConfig;
import dev.sluice.project.ProjectConfigLoader;
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

    @Command(name = "generate", description = "Compile the project and write a static site to target/docs.")
    static final class Generate extends Main.NodeCommand {
        @Option(names = "--no-compile", description = "Use the manifest of the last run instead of compiling")
        boolean noCompile;

        @Override
        public Integer call() {
            ProjectConfig config = new ProjectConfigLoader().load(common.projectDir);
            if (!noCompile) {
                Invocation inv = common.invocation("docs", null, null, null, false, false);
                try (Workspace ws = Workspace.open(inv)) {
                    new CompileTask(ws, new Progress(out)).execute(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
                }
            }
            DocsGenerator.Site site = DocsGenerator.generate(config.targetDir(), DocsGenerator.defaultOutDir(config.targetDir()));
            Progress p = new Progress(out);
            site.warnings().forEach(w -> p.line("[WARNING]: " + w));
            p.line("Documentation of " + site.nodes() + " nodes and " + site.tests() + " tests written to "
                    + config.root().relativize(site.index()));
            return Main.OK;
        }
    }

    @Command(name = "serve", description = "Serve target/docs on 127.0.0.1 until interrupted.")
    static final class Serve extends Main.NodeCommand {
        @Option(names = "--port", defaultValue = "8080")
        int port;

        @Override
        public Integer call() throws IOException, InterruptedException {
            ProjectConfig config = new ProjectConfigLoader().load(common.projectDir);
            Path dir = DocsGenerator.defaultOutDir(config.targetDir());
            if (!Files.isRegularFile(dir.resolve("index.html"))) {
                throw new ConfigException("no documentation in " + dir + ": run 'docs generate' first");
            }
            try (DocsServer server = DocsServer.start(dir, port)) {
                new Progress(out).line("Serving docs at " + server.url() + " (Ctrl-C to stop)");
                Thread.currentThread().join();
            }
            return Main.OK;
        }
    }
}

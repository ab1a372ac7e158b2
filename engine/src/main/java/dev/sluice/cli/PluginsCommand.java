package dev.sluice.cli;

import dev.sluice.error.ConfigException;
import dev.sluice.log.Version;
import dev.sluice.plugin.KnownPlugins;
import dev.sluice.plugin.PluginInstaller;
import dev.sluice.plugin.Plugins;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

/** `engine plugins list|install`: the warehouse adapters that ship apart from the engine, with their drivers. */
@Command(name = "plugins", description = "List or install warehouse plugins (snowflake, databricks, spark).",
        subcommands = {PluginsCommand.ListPlugins.class, PluginsCommand.Install.class})
final class PluginsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.BAD_INPUT;
    }

    @Command(name = "list", description = "Show each adapter, built in or plugin, and where it was found.")
    static final class ListPlugins extends Main.NodeCommand {
        @Override
        public Integer call() {
            Plugins plugins = Plugins.standard();
            Map<String, Plugins.Found> found = plugins.all().stream()
                    .collect(Collectors.toMap(Plugins.Found::type, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"duckdb", "built in"});
            rows.add(new String[]{"postgres", "built in"});
            for (String name : KnownPlugins.NAMES) {
                Plugins.Found f = found.remove(name);
                rows.add(new String[]{name, f == null ? "not installed (engine plugins install " + name + ")" : "installed: " + f.origin()});
            }
            for (Plugins.Found f : found.values()) rows.add(new String[]{f.type(), "installed: " + f.origin()});
            for (String[] r : rows) out.printf("%-12s %s%n", r[0], r[1]);
            out.println("plugins folders: " + plugins.folders().stream().map(Path::toString).collect(Collectors.joining(", ")));
            return Main.OK;
        }
    }

    @Command(name = "install", description = "Install a plugin from Maven Central (the engine's own version), a Maven repository or a jar, verifying its checksum.")
    static final class Install extends Main.NodeCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "snowflake, databricks or spark")
        String name;

        @Option(names = "--file", paramLabel = "JAR", description = "Install this plugin jar (or, for spark, zip of jars) instead of downloading it")
        Path file;

        @Option(names = "--sha256", paramLabel = "HEX", description = "With --file: the SHA-256 the jar must have (default: a JAR.sha256/.sha1 file beside it, if any)")
        String sha256;

        @Option(names = "--repository", paramLabel = "URL", description = "Maven repository to download from (default Maven Central; file: URLs work)")
        URI repository;

        @Option(names = "--plugin-dir", paramLabel = "DIR", description = "Folder to install into (default ~/.sluice/plugins)")
        Path pluginDir;

        @Override
        public Integer call() {
            if (file != null && repository != null) throw new ConfigException("give --file or --repository, not both");
            if (sha256 != null && file == null) throw new ConfigException("--sha256 goes with --file (a download is checked against the repository's checksum)");
            if (KnownPlugins.artifactOf(name).isEmpty()) {
                throw new ConfigException("no plugin named '" + name + "'; the plugins are: " + String.join(", ", KnownPlugins.NAMES));
            }
            Path folder = pluginDir != null ? pluginDir : Plugins.userFolder();
            PluginInstaller installer = new PluginInstaller(folder, PluginsCommand.class.getClassLoader());
            PluginInstaller.Installed done = file != null
                    ? installer.fromFile(name, file, Optional.ofNullable(sha256))
                    : installer.fromRepository(name, repository != null ? repository : PluginInstaller.MAVEN_CENTRAL, Version.current().version());
            out.println("Installed plugin " + name + " into " + done.location() + " from " + done.source());
            out.println(done.algorithm() + " " + done.digest() + (done.verified() ? " (verified)" : " (no checksum given to compare)"));
            return Main.OK;
        }
    }
}

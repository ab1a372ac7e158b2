package dev.sluice.cli;

import dev.sluice.error.ConfigException;
import dev.sluice.task.InitTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * engine init: a starter project and its profiles.yml entry, as dbt init makes them, with flags instead of
 * prompts so a script can run it.
 */
@Command(name = "init", description = "Create a starter project PROJECT_NAME and its profiles.yml entry (in an existing project: the profile only).")
final class InitCommand extends Main.NodeCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "PROJECT_NAME",
            description = "Name and folder of the new project (letters, digits, underscores)")
    String name;

    @Option(names = {"-s", "--skip-profile-setup"}, description = "Write no profiles.yml entry")
    boolean skipProfileSetup;

    @Option(names = "--profile", paramLabel = "NAME", description = "Use this existing profile of profiles.yml instead of writing one")
    String profile;

    @Option(names = "--adapter", defaultValue = "duckdb", paramLabel = "duckdb|postgres",
            description = "Warehouse of the new profile: duckdb (default, a file in the project) or postgres")
    String adapter;

    @Option(names = "--path", paramLabel = "FILE", description = "duckdb: the database file (default PROJECT_NAME.duckdb, in the project)")
    String path;

    @Option(names = "--host", description = "postgres: server host (default localhost)")
    String host;

    @Option(names = "--port", description = "postgres: server port (default 5432)")
    Integer port;

    @Option(names = "--user", description = "postgres: user (default: the current user)")
    String user;

    @Option(names = "--password", description = "postgres: password (default: read at run time from DBT_ENV_SECRET_PASSWORD)")
    String password;

    @Option(names = "--dbname", description = "postgres: database (default postgres)")
    String dbname;

    @Option(names = "--schema", description = "Schema the models are built in (default main for duckdb, public for postgres)")
    String schema;

    @Option(names = "--threads", description = "Threads of the new profile's output (default 4)")
    Integer threads;

    @Override
    public Integer call() {
        for (String unused : List.of("--vars", "--indirect-selection")) {
            if (nodeSpec.commandLine().getParseResult().hasMatchedOption(unused)) {
                throw new ConfigException("init does not take " + unused);
            }
        }
        if (!InitTask.ADAPTERS.contains(adapter)) {
            throw new ConfigException("--adapter must be one of " + String.join(", ", InitTask.ADAPTERS) + "; got '" + adapter + "'");
        }
        Map<String, Object> connection = new LinkedHashMap<>();
        put(connection, "path", "--path", path, "duckdb");
        put(connection, "host", "--host", host, "postgres");
        put(connection, "port", "--port", port, "postgres");
        put(connection, "user", "--user", user, "postgres");
        put(connection, "password", "--password", password, "postgres");
        put(connection, "dbname", "--dbname", dbname, "postgres");
        if (schema != null) connection.put("schema", schema);
        if (threads != null) {
            if (threads < 1) throw new ConfigException("--threads must be at least 1");
            connection.put("threads", threads);
        }
        if ((skipProfileSetup || profile != null) && !connection.isEmpty()) {
            throw new ConfigException("connection flags write a profile; they cannot go with "
                    + (profile != null ? "--profile" : "--skip-profile-setup"));
        }
        if (skipProfileSetup && profile != null) {
            throw new ConfigException("--profile and --skip-profile-setup cannot go together: --profile already skips the profile setup");
        }
        Path profilesDir = common.profilesDir != null ? common.profilesDir : InitTask.defaultProfilesDir();
        new InitTask(new InitTask.Request(name, common.projectDir, profilesDir, profile, skipProfileSetup, adapter,
                common.target != null ? common.target : "dev", connection)).execute(out);
        return Main.OK;
    }

    private void put(Map<String, Object> connection, String key, String flag, Object value, String forAdapter) {
        if (value == null) return;
        if (!adapter.equals(forAdapter)) {
            throw new ConfigException(flag + " is a " + forAdapter + " setting; it does not go with --adapter " + adapter);
        }
        connection.put(key, value);
    }
}

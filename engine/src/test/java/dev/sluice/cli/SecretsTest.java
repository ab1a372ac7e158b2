package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets as dbt has them: the values of DBT_ENV_SECRET_* variables and the profile's password and tokens. Planted
 * in every place a configuration may hold one (profile, webhook url and headers), they never appear in any file the
 * engine writes under target/ and logs/, nor in what it prints; other env_var() values (project vars, model SQL,
 * hooks) are not secrets and appear in clear, as in dbt; a secret variable in a model is refused, as dbt refuses it.
 * The engine runs in its own process, as only there can the environment be set.
 */
class SecretsTest extends ProjectTest {

    /** Environment variable -> its value; each value is unlike anything else in the project. */
    static final Map<String, String> ENV = new LinkedHashMap<>();
    /** The values that are secret: a profile password, DBT_ENV_SECRET_* values (one never used), a literal token. */
    static final List<String> SECRET = List.of("pw-Zq81xKcV", "http://hookuser:up-Kd83JsW1@127.0.0.1:9/hook?api_key=url-Wb52YrE7",
            "up-Kd83JsW1", "url-Wb52YrE7", "hdr-Pp64Nx9q", "unused-Yy61MnB3");
    /** env_var() values that are not secrets, rendered into the manifest's compiled SQL (hooks are kept as written). */
    static final List<String> PUBLIC = List.of("var-Mm49LtQ2", "sql-Tt72BvC9");

    static {
        ENV.put("SLUICE_T_PROFILE_PW", "pw-Zq81xKcV");
        ENV.put("DBT_ENV_SECRET_T_URL", SECRET.get(1));
        ENV.put("DBT_ENV_SECRET_T_TOKEN", "hdr-Pp64Nx9q");
        ENV.put("DBT_ENV_SECRET_T_UNUSED", "unused-Yy61MnB3");
        ENV.put("DBT_ENV_SECRET_T_GIT", "gitsecret-Qv73LmP2");
        ENV.put("SLUICE_T_VAR", "var-Mm49LtQ2");
        ENV.put("SLUICE_T_HOOK", "hook-Rr15GsA4");
        ENV.put("SLUICE_T_SQL", "sql-Tt72BvC9");
    }

    static final String LITERAL_TOKEN = "tok-literal-Hh27PqF6";

    @Test
    void secretsAppearInNoArtifactLogOrMessageAndOtherEnvVarsDo() throws Exception {
        CliHarness p = copy("shop");
        p.write("profiles.yml", p.read("profiles.yml")
                + "      password: \"{{ env_var('SLUICE_T_PROFILE_PW') }}\"\n"
                + "      token: " + LITERAL_TOKEN + "\n");
        p.write("dbt_project.yml", p.read("dbt_project.yml").replace("\nvars:\n", "\nvars:\n  api_key: \"{{ env_var('SLUICE_T_VAR') }}\"\n"));
        p.write("models/marts/secretive.sql", """
                {{ config(materialized='table', pre_hook="select '{{ env_var('SLUICE_T_HOOK') }}' as h") }}
                -- built with {{ env_var('SLUICE_T_SQL') }}
                select 1 as id, length('{{ var('api_key') }}') as key_length
                """);
        p.write("models/marts/hooks.yml", """
                version: 2
                operators:
                  - name: secret_webhook
                    type: export_webhook
                    sql: "select * from {{ ref('secretive') }}"
                    config:
                      url: "{{ env_var('DBT_ENV_SECRET_T_URL') }}"
                      headers: {Authorization: "Bearer {{ env_var('DBT_ENV_SECRET_T_TOKEN') }}"}
                      max_retries: 0
                      connect_timeout_ms: 2000
                """);

        List<String> printed = new ArrayList<>();
        Proc build = run(p, "build");
        assertEquals(1, build.code, build.output);
        printed.add(build.output);
        // The url was rendered (the webhook tried its host) though it is secret.
        assertTrue(build.output.contains("rows to 127.0.0.1") && build.output.contains("webhook gave up"), build.output);
        String runResults = p.read("target/run_results.json");
        assertTrue(runResults.contains("\"error\""), runResults);
        Proc docs = run(p, "docs", "generate");
        assertEquals(0, docs.code, docs.output);
        printed.add(docs.output);
        Proc compile = run(p, "compile", "-s", "secretive");
        assertEquals(0, compile.code, compile.output);
        printed.add(compile.output);

        List<String> secrets = new ArrayList<>(SECRET);
        secrets.add(LITERAL_TOKEN);
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("target", "logs")) {
            Path d = p.dir.resolve(dir);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> walk = Files.walk(d)) {
                walk.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        assertTrue(files.stream().anyMatch(f -> f.endsWith("manifest.json")), files.toString());
        assertTrue(files.stream().anyMatch(f -> f.toString().endsWith("secretive.sql")), files.toString());
        assertTrue(files.stream().anyMatch(f -> f.endsWith("data.js")), files.toString());
        for (Path f : files) {
            String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            for (String s : secrets) {
                assertFalse(content.contains(s), p.dir.relativize(f) + " holds secret " + s);
            }
        }
        for (String out : printed) {
            for (String s : secrets) assertFalse(out.contains(s), "printed secret " + s + ": " + out);
        }
        // Values of other variables are in clear: in the manifest's compiled SQL and hooks, and what compile prints.
        String manifest = p.read("target/manifest.json");
        for (String v : PUBLIC) assertTrue(manifest.contains(v), "manifest.json shows " + v);
        assertTrue(p.read("logs/engine.log").contains("hook-Rr15GsA4"), "the hook's statement is logged in clear");
        assertTrue(compile.output.contains("-- built with sql-Tt72BvC9"), compile.output);
        assertTrue(manifest.contains("\"url\":\"*****\""), "the operator's rendered url is masked where it is");
        // The secrets did reach the warehouse: the table was built with the real value's length.
        assertEquals(ENV.get("SLUICE_T_VAR").length(), ((Number) p.scalar("select key_length from " + schema() + ".secretive")).intValue());
    }

    @Test
    void aSecretVariableInAModelIsRefused() throws Exception {
        CliHarness p = copy("shop");
        p.write("models/marts/leaky.sql", "select 1 as id\n-- {{ env_var('DBT_ENV_SECRET_T_TOKEN') }}\n");
        Proc compile = run(p, "compile", "-s", "leaky");
        assertEquals(2, compile.code, compile.output);
        assertTrue(compile.output.contains("models/marts/leaky.sql:2"), compile.output);
        assertTrue(compile.output.contains("'DBT_ENV_SECRET_T_TOKEN'"), compile.output);
        assertFalse(compile.output.contains("hdr-Pp64Nx9q"), compile.output);
        assertFalse(Files.exists(p.dir.resolve("target/compiled/shop/models/marts/leaky.sql"))
                && p.read("target/compiled/shop/models/marts/leaky.sql").contains("hdr-Pp64Nx9q"));
    }

    /**
     * A git package whose url holds a secret, as dbt's docs show (https://{{ env_var('DBT_ENV_SECRET_...') }}@host):
     * deps clones it with the real value but never prints it, and package-lock.yml keeps the url as written,
     * env_var() unrendered, as dbt's lock does, so the next deps renders it again. A secret written in clear is
     * scrubbed from the lock with a warning (dbt's DepsScrubbedPackageName) and resolved again next time; an
     * unreachable url's error names it masked, on the console and in the log file.
     */
    @Test
    void aSecretInAGitPackageUrlIsNeverShownAndTheLockKeepsItsEnvVar() throws Exception {
        CliHarness p = copy("shop");
        String secret = ENV.get("DBT_ENV_SECRET_T_GIT");
        Path repo = tmp.resolve(secret).resolve("repo");
        Files.createDirectories(repo.resolve("pkg/macros"));
        Files.writeString(repo.resolve("pkg/dbt_project.yml"), "name: greetings\nversion: '1.0.0'\nconfig-version: 2\n");
        Files.writeString(repo.resolve("pkg/macros/hello.sql"), "{% macro hello() %}hello{% endmacro %}\n");
        String sha;
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            sha = git.commit().setMessage("v1").setAuthor("test", "test@example.com").setCommitter("test", "test@example.com")
                    .setSign(false).call().getName();
            git.tag().setName("v1.0.0").call();
        }
        String written = tmp + "/{{ env_var('DBT_ENV_SECRET_T_GIT') }}/repo";
        p.write("packages.yml", "packages:\n  - git: \"" + written + "\"\n    revision: v1.0.0\n    subdirectory: pkg\n");

        Proc deps = run(p, "deps");
        assertEquals(0, deps.code, deps.output);
        assertTrue(deps.output.contains("Installed greetings from " + written + " at revision " + sha), deps.output);
        assertTrue(Files.isRegularFile(p.dir.resolve("dbt_packages/greetings/macros/hello.sql")));
        String lock = p.read("package-lock.yml");
        assertTrue(lock.contains("git: " + written) && lock.contains("revision: " + sha), lock);
        assertFalse(lock.contains(secret), lock);

        // From the lock, its url rendered again.
        try (Stream<Path> walk = Files.walk(p.dir.resolve("dbt_packages"))) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
        Proc again = run(p, "deps");
        assertEquals(0, again.code, again.output);
        assertTrue(again.output.contains("Installing the packages pinned in package-lock.yml"), again.output);
        assertTrue(Files.isRegularFile(p.dir.resolve("dbt_packages/greetings/macros/hello.sql")));
        assertEquals(lock, p.read("package-lock.yml"));

        // The secret's value written in clear: scrubbed in the lock, with a warning; the next deps resolves again.
        p.write("packages.yml", "packages:\n  - git: \"" + repo + "\"\n    revision: v1.0.0\n    subdirectory: pkg\n");
        Proc clear = run(p, "deps");
        assertEquals(0, clear.code, clear.output);
        assertTrue(clear.output.contains("holds a secret in clear"), clear.output);
        String scrubbed = p.read("package-lock.yml");
        assertTrue(scrubbed.contains("git: " + tmp + "/*****/repo"), scrubbed);
        Proc after = run(p, "deps");
        assertEquals(0, after.code, after.output);
        assertTrue(after.output.contains("holds a git url scrubbed of a secret; resolving packages.yml again"), after.output);
        assertTrue(Files.isRegularFile(p.dir.resolve("dbt_packages/greetings/macros/hello.sql")));

        // An unreachable host: the error names the url, its token masked.
        p.write("packages.yml", "packages:\n  - git: \"https://x-access-token:{{ env_var('DBT_ENV_SECRET_T_GIT') }}@127.0.0.1:9/org/repo.git\"\n"
                + "    revision: v1.0.0\n");
        Proc bad = run(p, "deps");
        assertEquals(2, bad.code, bad.output);
        assertTrue(bad.output.contains("https://x-access-token:*****@127.0.0.1:9/org/repo.git"), bad.output);
        assertTrue(bad.output.contains("packages.yml:2"), bad.output);

        for (Proc pr : List.of(deps, again, clear, after, bad)) assertFalse(pr.output.contains(secret), pr.output);
        for (String f : List.of("package-lock.yml", "logs/engine.log")) assertFalse(p.read(f).contains(secret), f + ": " + p.read(f));
    }

    String schema() {
        return "main";
    }

    record Proc(int code, String output) {
    }

    /** Runs the CLI in its own JVM with the secrets in its environment. */
    static Proc run(CliHarness p, String... args) throws IOException, InterruptedException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, "dev.sluice.cli.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--project-dir", p.dir.toString(), "--profiles-dir", p.dir.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(p.dir.toFile());
        pb.environment().putAll(ENV);
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Proc(proc.waitFor(), out);
    }
}

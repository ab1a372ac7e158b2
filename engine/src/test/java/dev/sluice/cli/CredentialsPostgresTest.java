package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Secrets from profiles never reach output or artifacts; wrong credentials are one clear message. */
class CredentialsPostgresTest extends ProjectTest {
    @Override
    Warehouse warehouse() {
        return postgres();
    }

    @Test
    void wrongPasswordIsBadInputWithoutTheSecret() {
        CliHarness p = copy("shop");
        String wrong = "Wr0ng-Passw0rd-Value";
        p.write("profiles.yml", p.read("profiles.yml").replaceAll("password: \"[^\"]*\"", "password: \"" + wrong + "\"")
                .replace("user: \"postgres\"", "user: \"no_such_user_here\""));
        CliHarness.Result r = p.run("debug");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("cannot connect to postgres no_such_user_here@"), r.err());
        assertFalse(r.all().contains(wrong), r.all());
        r = p.run("build");
        assertEquals(2, r.exitCode(), r.all());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.all().contains(wrong), r.all());
    }

    @Test
    void secretsStayOutOfLogsAndArtifacts() throws IOException {
        CliHarness p = copy("shop");
        // The password comes from the environment through env_var(), as profiles should have it; the test
        // server may have none, so look for what the profile holds, whatever it is.
        String profile = p.read("profiles.yml");
        String password = profile.replaceAll("(?s).*password: \"([^\"]*)\".*", "$1");
        // As in dbt, target carries the connection keys but never the password; asking for it is a compile
        // error naming the model when it runs (the node fails: exit 1), not an empty string.
        p.write("models/marts/who.sql", "select '{{ target.user }}' as who, '{{ target.password }}' as leaked\n");
        CliHarness.Result leak = p.run("build", "-s", "who");
        assertEquals(1, leak.exitCode(), leak.all());
        assertTrue(leak.all().contains("Compilation Error in models/marts/who.sql:1: 'dict object' has no attribute 'password'"), leak.all());
        p.write("models/marts/who.sql", "select '{{ target.user }}' as who\n");
        CliHarness.Result r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        if (!password.isEmpty()) assertFalse(leak.all().contains(password), "secret in the error");
        if (!password.isEmpty()) {
            assertFalse(r.all().contains(password), "secret in output");
            try (Stream<Path> files = Files.walk(p.dir.resolve("target"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertFalse(Files.readString(f).contains(password), "secret in " + f);
                }
            }
        }
    }
}

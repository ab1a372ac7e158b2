package dev.sluice.deps;

import dev.sluice.error.ConfigException;
import dev.sluice.project.ProjectConfigLoader;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hub packages resolve a version range to the highest release tag of their repository. */
class HubPackagesTest {
    @TempDir
    Path tmp;

    @Test
    void versionRangePicksTheHighestMatchingReleaseTagAndTheLockKeepsIt() throws Exception {
        Path repo = tmp.resolve("greetings");
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            // Tags as hub packages have them, with and without a v; a pre-release is not picked by a plain range.
            for (String tag : new String[]{"0.9.0", "1.0.0", "v1.1.0", "1.2.0-b1", "2.0.0"}) {
                Files.createDirectories(repo.resolve("macros"));
                Files.writeString(repo.resolve("dbt_project.yml"), "name: greetings\nversion: '" + tag + "'\n");
                Files.writeString(repo.resolve("macros/v.sql"), "{% macro v() %}" + tag + "{% endmacro %}\n");
                git.add().addFilepattern(".").call();
                git.tag().setName(tag).setObjectId(git.commit().setMessage(tag).setAuthor("t", "t@example.com")
                        .setCommitter("t", "t@example.com").setSign(false).call()).call();
            }
        }
        Path project = tmp.resolve("project");
        Files.createDirectories(project);
        Files.writeString(project.resolve("dbt_project.yml"), "name: shop\nprofile: shop\n");
        Files.writeString(project.resolve("packages.yml"),
                "packages:\n  - package: acme/greetings\n    version: [\">=1.0.0\", \"<2.0.0\"]\n");
        HubRegistry hub = new HubRegistry(Map.of("acme/greetings", repo.toUri().toString()));

        String out = install(project, hub, false);
        assertTrue(out.contains("Installed greetings 1.1.0"), out);
        assertEquals("{% macro v() %}v1.1.0{% endmacro %}\n",
                Files.readString(project.resolve("dbt_packages/greetings/macros/v.sql")));
        String lock = Files.readString(project.resolve("package-lock.yml"));
        assertTrue(lock.contains("package: acme/greetings") && lock.contains("version: 1.1.0"), lock);

        // Installing again from the lock gives the same release.
        assertTrue(install(project, hub, false).contains("pinned in package-lock.yml"));
        assertTrue(Files.readString(project.resolve("dbt_packages/greetings/macros/v.sql")).contains("v1.1.0"));

        Files.writeString(project.resolve("packages.yml"), "packages:\n  - package: acme/greetings\n    version: \">=3.0.0\"\n");
        ConfigException e = assertThrows(ConfigException.class, () -> install(project, hub, false));
        assertTrue(e.getMessage().contains("no release of hub package 'acme/greetings' matches version >=3.0.0"), e.getMessage());
        assertTrue(e.userMessage().contains("packages.yml:2"), e.userMessage());
    }

    private static String install(Path project, HubRegistry hub, boolean upgrade) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            new PackageInstaller(new ProjectConfigLoader().load(project), hub, s -> s, out).install(upgrade);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}

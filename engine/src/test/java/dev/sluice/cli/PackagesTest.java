package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dbt packages through the CLI: `engine deps` installs local and git packages into dbt_packages/ and pins them
 * in package-lock.yml; their macros (namespaced), generic tests, models, seeds and vars load with the package's
 * namespace, and the root project's configs reach them.
 */
class PackagesTest extends ProjectTest {

    @Test
    void localPackageInstallsAndItsMacrosTestsModelsAndSeedsBuild() throws Exception {
        CliHarness p = copy("pkgshop");
        CliHarness.Result before = p.run("build");
        assertEquals(2, before.exitCode(), before.all());
        assertTrue(before.err().contains("packages.yml") && before.err().contains("run `engine deps`"), before.err());

        CliHarness.Result deps = p.run("deps");
        assertEquals(0, deps.exitCode(), deps.all());
        Path installed = p.dir.resolve("dbt_packages/sluice_helpers");
        assertTrue(Files.isSymbolicLink(installed), "a local package is linked, as dbt does");
        assertEquals(p.dir.resolve("local_packages/sluice_helpers").toRealPath(), installed.toRealPath());
        String lock = p.read("package-lock.yml");
        assertTrue(lock.contains("local: local_packages/sluice_helpers") && lock.contains("name: sluice_helpers")
                && lock.contains("sha1_hash:"), lock);

        CliHarness.Result r = p.run("build");
        assertEquals(0, r.exitCode(), r.all());
        // Namespaced generic tests of the package, named as dbt names them.
        assertTrue(r.out().contains("PASS sluice_helpers_is_even_orders_enriched_amount_cents"), r.out());
        assertTrue(r.out().contains("PASS in_range_helper_numbers_scaled__9__3"), r.out());
        // A test argument's list holds "{{ sluice_helpers.text_type() }}": rendered, so the varchar key passes and
        // the integer column, whose type is not in the list, warns.
        assertTrue(r.out().lines().anyMatch(l -> l.contains("PASS sluice_helpers_column_type_in_orders_enriched_order_key")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.contains("WARN 1 sluice_helpers_column_type_in_orders_enriched_amount_cents")), r.out());

        // The unit test's override of sluice_helpers.numbers_when_executing gives 5 and 7 instead of 1 and 2.
        assertTrue(r.out().lines().anyMatch(l -> l.contains("PASS unit_test execute_only::execute_only_with_other_numbers")), r.out());
        // dbt_utils-style key macro: md5 of the columns joined by '-', computed here independently.
        Map<Long, String> keys = new HashMap<>();
        for (Map<String, Object> row : p.query("select order_id, customer_id, order_key from main.orders_enriched e "
                + "join main.orders o using (order_id)")) {
            keys.put(((Number) row.get("order_id")).longValue(), row.get("order_key").toString());
        }
        assertEquals(md5("1-10"), keys.get(1L));
        assertEquals(md5("4-12"), keys.get(4L));
        // ref('sluice_helpers', 'country_codes'): the package's seed.
        assertEquals("France", p.scalar("select country_name from main.orders_enriched where order_id = 4"));
        // The root project's var for the package (3) wins over the package's own default (2): 3 + 6 + 9.
        assertEquals(18L, ((Number) p.scalar("select total_scaled from main.numbers_total")).longValue());
        // A template empty while parsing renders when executing; a ref() passes a package's Relation check.
        assertEquals(3L, ((Number) p.scalar("select sum(n) from main.execute_only")).longValue());
        // on-run-end: the package's hooks (with its macro) before the root project's.
        assertEquals("[{label=pkgshop via sluice_helpers, seq=0}, {label=root, seq=1}]",
                p.query("select label, cast(seq as integer) as seq from main.hook_log order by seq").toString());
        // The package says view; the root project's models: sluice_helpers: +materialized: table wins.
        assertEquals("table", p.relationType("main", "helper_numbers"));

        JsonNode manifest = new ObjectMapper().readTree(Files.readString(p.dir.resolve("target/manifest.json")));
        JsonNode helper = manifest.get("nodes").get("model.sluice_helpers.helper_numbers");
        assertEquals("sluice_helpers", helper.get("package_name").asText());
        assertTrue(helper.get("config").get("tags").toString().contains("helpers"), helper.toString());
        assertTrue(helper.get("config").get("tags").toString().contains("from_root"), helper.toString());
        assertTrue(manifest.get("nodes").has("seed.sluice_helpers.country_codes"));
        assertTrue(Files.isRegularFile(p.dir.resolve("target/compiled/sluice_helpers/models/helper_numbers.sql")));

        CliHarness.Result ls = p.run("ls", "--select", "package:sluice_helpers", "--resource-type", "model", "seed");
        assertEquals(0, ls.exitCode(), ls.all());
        assertTrue(ls.out().contains("sluice_helpers.helper_numbers") && ls.out().contains("sluice_helpers.country_codes"), ls.out());
        assertFalse(ls.out().contains("orders_enriched"), ls.out());

        // Overriding a macro the package does not have is an error naming it, not an override that never applies.
        p.write("models/schema.yml", p.read("models/schema.yml").replace("sluice_helpers.numbers_when_executing:",
                "sluice_helpers.numbers_if_executing:"));
        CliHarness.Result bad = p.run("build", "--select", "execute_only");
        assertEquals(1, bad.exitCode(), bad.all());
        assertTrue(bad.all().contains("overrides the macro 'sluice_helpers.numbers_if_executing', which package "
                + "'sluice_helpers' does not have") && bad.all().contains("models/schema.yml"), bad.all());
    }

    @Test
    void gitPackageInstallsAtATagAndTheLockIsReusedUntilUpgrade() throws Exception {
        CliHarness p = copy("pkgshop");
        Path repo = tmp.resolve("git_greetings");
        RevCommit v1;
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            gitPackage(repo, "hello from v1");
            v1 = commit(git, "v1");
            git.tag().setName("v1.0.0").setObjectId(v1).setAnnotated(true).setMessage("v1").call();
            gitPackage(repo, "hello from v2");
            commit(git, "v2");
        }
        p.write("packages.yml", "packages:\n  - local: local_packages/sluice_helpers\n"
                + "  - git: \"" + repo.toUri() + "\"\n    revision: v1.0.0\n    subdirectory: pkg\n");
        p.write("models/greeting.sql", "select '{{ greetings.hello() }}' as greeting");

        CliHarness.Result deps = p.run("deps");
        assertEquals(0, deps.exitCode(), deps.all());
        assertTrue(p.read("package-lock.yml").contains("revision: " + v1.getName()), p.read("package-lock.yml"));
        assertFalse(Files.exists(p.dir.resolve("dbt_packages/greetings/.git")), "the clone's .git is not installed");
        CliHarness.Result r = p.run("run", "--select", "greeting");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals("hello from v1", p.scalar("select greeting from main.greeting"));

        // A branch moves; the lock keeps the commit installed first until --upgrade.
        p.write("packages.yml", "packages:\n  - local: local_packages/sluice_helpers\n"
                + "  - git: \"" + repo + "\"\n    revision: main\n    subdirectory: pkg\n    warn-unpinned: false\n");
        assertEquals(0, p.run("deps").exitCode());
        String mainSha = sha(p.read("package-lock.yml"));
        try (Git git = Git.open(repo.toFile())) {
            gitPackage(repo, "hello from v3");
            commit(git, "v3");
        }
        CliHarness.Result again = p.run("deps");
        assertEquals(0, again.exitCode(), again.all());
        assertTrue(again.out().contains("package-lock.yml"), again.out());
        assertEquals(mainSha, sha(p.read("package-lock.yml")));
        assertEquals(0, p.run("run", "--select", "greeting").exitCode());
        assertEquals("hello from v2", p.scalar("select greeting from main.greeting"));

        CliHarness.Result upgrade = p.run("deps", "--upgrade");
        assertEquals(0, upgrade.exitCode(), upgrade.all());
        assertFalse(mainSha.equals(sha(p.read("package-lock.yml"))));
        assertEquals(0, p.run("run", "--select", "greeting").exitCode());
        assertEquals("hello from v3", p.scalar("select greeting from main.greeting"));
    }

    @Test
    void badRevisionUnknownHubPackageAndMeshProjectsAreClearErrors() throws Exception {
        CliHarness p = copy("pkgshop");
        Path repo = tmp.resolve("git_greetings");
        try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            gitPackage(repo, "hi");
            commit(git, "first");
        }
        p.write("packages.yml", "packages:\n  - git: \"" + repo + "\"\n    revision: v9.9.9\n    subdirectory: pkg\n");
        CliHarness.Result bad = p.run("deps");
        assertEquals(2, bad.exitCode(), bad.all());
        assertTrue(bad.err().contains("packages.yml:2") && bad.err().contains("revision 'v9.9.9'"), bad.err());

        p.write("packages.yml", "packages:\n  - package: someone/not_a_known_package\n    version: [\">=1.0.0\"]\n");
        CliHarness.Result hub = p.run("deps");
        assertEquals(2, hub.exitCode(), hub.all());
        assertTrue(hub.err().contains("hub package 'someone/not_a_known_package'"), hub.err());

        p.delete("packages.yml");
        p.write("dependencies.yml", "projects:\n  - name: upstream_project\n");
        CliHarness.Result mesh = p.run("deps");
        assertEquals(2, mesh.exitCode(), mesh.all());
        assertTrue(mesh.err().contains("dependencies.yml:2") && mesh.err().contains("not supported"), mesh.err());
    }

    @Test
    void packageRequiringAnotherDbtVersionAndMissingNamespacesAreErrors() {
        CliHarness p = copy("pkgshop");
        assertEquals(0, p.run("deps").exitCode());
        p.write("local_packages/sluice_helpers/dbt_project.yml", p.read("local_packages/sluice_helpers/dbt_project.yml")
                .replace("[\">=1.3.0\", \"<2.0.0\"]", "\">=1.11.0\""));
        CliHarness.Result r = p.run("build");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("package 'sluice_helpers' requires dbt >=1.11.0"), r.err());
        assertTrue(r.err().contains("dbt_packages/sluice_helpers/dbt_project.yml"), r.err());

        p.write("local_packages/sluice_helpers/dbt_project.yml", p.read("local_packages/sluice_helpers/dbt_project.yml")
                .replace("\">=1.11.0\"", "\">=1.3.0,<2.0.0\""));
        p.write("models/schema.yml", "version: 2\nmodels:\n  - name: numbers_total\n    columns:\n      - name: n\n"
                + "        tests:\n          - other_pkg.is_even\n");
        CliHarness.Result missing = p.run("build");
        assertEquals(2, missing.exitCode(), missing.all());
        assertTrue(missing.err().contains("models/schema.yml:7") && missing.err().contains("package 'other_pkg'"), missing.err());

        p.write("models/schema.yml", "version: 2\n");
        p.write("models/numbers_total.sql", "select {{ sluice_helpers.no_such_macro() }} as x");
        CliHarness.Result noMacro = p.run("build");
        assertEquals(2, noMacro.exitCode(), noMacro.all());
        assertTrue(noMacro.err().contains("models/numbers_total.sql:1") && noMacro.err().contains("sluice_helpers.no_such_macro"),
                noMacro.err());
    }

    /** A package project in the repository's pkg/ folder whose hello() macro says text. */
    private static void gitPackage(Path repo, String text) throws Exception {
        Files.createDirectories(repo.resolve("pkg/macros"));
        Files.writeString(repo.resolve("pkg/dbt_project.yml"), "name: greetings\nversion: '1.0.0'\nconfig-version: 2\n"
                + "require-dbt-version: \">=1.3.0,<2.0.0\"\n");
        Files.writeString(repo.resolve("pkg/macros/hello.sql"), "{% macro hello() %}" + text + "{% endmacro %}\n");
    }

    private static RevCommit commit(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor("test", "test@example.com")
                .setCommitter("test", "test@example.com").setSign(false).call();
    }

    private static String sha(String lock) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("revision: ([0-9a-f]{40})").matcher(lock);
        assertTrue(m.find(), lock);
        return m.group(1);
    }

    private static String md5(String s) throws Exception {
        byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        return String.format("%032x", new BigInteger(1, d));
    }
}

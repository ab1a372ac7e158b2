package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * target/compiled as a compile leaves it: every node's file in its folder (made once per folder), an unchanged
 * node's file left untouched, a changed one rewritten, and a file lying where a folder is needed replaced.
 */
class CompiledFilesTest extends ProjectTest {

    @Test
    void filesAreWrittenKeptRewrittenAndFoldersReplaceFiles() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("dbt_project.yml"), "name: cf\nprofile: cf\n");
        Files.createDirectories(src.resolve("models/sub/deeper"));
        Files.writeString(src.resolve("models/a.sql"), "select 1 as id\n");
        Files.writeString(src.resolve("models/sub/deeper/b.sql"), "select id from {{ ref('a') }}\n");
        Files.writeString(src.resolve("models/sub/deeper/c.sql"), "select id + 1 as id from {{ ref('b') }}\n");
        CliHarness p = CliHarness.copyOf(src, "cf", tmp, warehouse());

        compile(p);
        assertEquals("select 1 as id\n", p.read("target/compiled/cf/models/a.sql"));
        assertEquals("select id from \"main\".\"a\"\n", p.read("target/compiled/cf/models/sub/deeper/b.sql"));
        assertEquals("select id + 1 as id from \"main\".\"b\"\n", p.read("target/compiled/cf/models/sub/deeper/c.sql"));

        // Unchanged: the file is not written again (its time stays); an edited model's file is.
        Path a = p.dir.resolve("target/compiled/cf/models/a.sql");
        Path b = p.dir.resolve("target/compiled/cf/models/sub/deeper/b.sql");
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(a, old);
        Files.setLastModifiedTime(b, old);
        p.write("models/sub/deeper/b.sql", "select id, 2 as two from {{ ref('a') }}\n");
        compile(p);
        assertEquals(old, Files.getLastModifiedTime(a));
        assertEquals("select id, 2 as two from \"main\".\"a\"\n", p.read("target/compiled/cf/models/sub/deeper/b.sql"));
        assertTrue(Files.getLastModifiedTime(b).compareTo(old) > 0);

        // A file where a node's folder is needed now (an older layout): replaced by the folder and its files.
        Path sub = p.dir.resolve("target/compiled/cf/models/sub/deeper");
        try (var files = Files.walk(sub)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        Files.writeString(sub, "not a folder\n");
        compile(p);
        assertTrue(Files.isDirectory(sub));
        assertEquals("select id + 1 as id from \"main\".\"b\"\n", p.read("target/compiled/cf/models/sub/deeper/c.sql"));
    }

    private static void compile(CliHarness p) {
        CliHarness.Result r = p.run("compile");
        assertEquals(0, r.exitCode(), r.all());
    }
}

package dev.sluice.task;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PreviousTimingsTest {
    @TempDir
    Path dir;

    /** Nodes that did their work give their seconds; skipped and unchanged ones, and other fields, are passed over. */
    @Test
    void readsTheSecondsOfNodesThatRan() throws Exception {
        Path f = dir.resolve("run_results.json");
        Files.writeString(f, """
                {"metadata": {"dbt_schema_version": "x", "env": {}},
                 "results": [
                  {"unique_id": "model.p.a", "status": "success", "timing": [{"name": "execute"}], "execution_time": 2.5,
                   "message": "OK", "adapter_response": {"rows": [1, 2]}, "compiled_code": "select 1"},
                  {"unique_id": "test.p.t", "status": "fail", "execution_time": 0.25, "failures": 3},
                  {"unique_id": "model.p.b", "status": "skipped", "execution_time": 0.001, "message": "SKIP (unchanged)"},
                  {"unique_id": "model.p.c", "status": "error", "execution_time": 0.1},
                  {"unique_id": "model.p.d", "status": "success", "execution_time": null}
                 ],
                 "elapsed_time": 3.0, "args": {"which": "build"}}
                """);
        assertEquals(Map.of("model.p.a", 2.5, "test.p.t", 0.25), PreviousTimings.read(f));
    }

    /** A hint only: no file, or one that is not run results, gives no timings and no error. */
    @Test
    void missingOrBrokenFilesGiveNoTimings() throws Exception {
        assertEquals(Map.of(), PreviousTimings.read(dir.resolve("absent.json")));
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"results\": [{\"unique_id\": \"model.p.a\", \"status\": \"success\", \"execution_ti");
        assertEquals(Map.of(), PreviousTimings.read(broken));
        Path list = dir.resolve("list.json");
        Files.writeString(list, "[1, 2]");
        assertEquals(Map.of(), PreviousTimings.read(list));
    }
}

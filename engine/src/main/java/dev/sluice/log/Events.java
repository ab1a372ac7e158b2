package dev.sluice.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** dbt's JSON event envelope, shared by the console and the log file. */
final class Events {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PID = ProcessHandle.current().pid();

    private Events() {
    }

    static String json(String name, String level, Instant ts, String msg, String invocationId, String thread,
                       Map<String, Object> data) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        info.put("code", "");
        info.put("msg", msg);
        info.put("level", level);
        info.put("invocation_id", invocationId);
        info.put("pid", PID);
        info.put("thread", thread);
        info.put("ts", ts.toString());
        info.put("category", "");
        info.put("extra", Map.of());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("info", info);
        root.put("data", data == null ? Map.of() : data);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            // Data is built from plain maps and strings; anything else is a programming error.
            throw new IllegalStateException("event " + name + " cannot be written as JSON", e);
        }
    }
}

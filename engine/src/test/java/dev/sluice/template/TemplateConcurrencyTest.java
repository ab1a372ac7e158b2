package dev.sluice.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TemplateConcurrencyTest {

    @Test
    void concurrentRendersKeepTheirOwnFunctionsAndVariables() throws Exception {
        // The macro calls ref() and reads target: both must come from the render that called it.
        TemplateEngine engine = new TemplateEngine(List.of(new MacroFile(Path.of("macros/m.sql"),
                "{% macro from_ref(name) %}{{ ref(name) }}@{{ target.name }}{% endmacro %}")));
        String src = "{% for i in range(20) %}{{ from_ref('t' ~ i) }};{% endfor %}";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                String schema = "s" + t;
                Map<String, TemplateFunction> fns = Map.of("ref", (a, kw) -> schema + "." + a.get(0));
                Map<String, Object> vars = Map.of("target", Map.of("name", "env" + t));
                results.add(pool.submit(() -> engine.render(Path.of("models/m" + schema + ".sql"), src, vars, fns)));
            }
            for (int t = 0; t < results.size(); t++) {
                StringBuilder expected = new StringBuilder();
                for (int i = 0; i < 20; i++) expected.append("s").append(t).append(".t").append(i).append("@env").append(t).append(';');
                assertEquals(expected.toString(), results.get(t).get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

package dev.sluice.project;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The project file's {@code dispatch:} list: for a macro namespace, the packages adapter.dispatch searches, in
 * order (e.g. {@code - macro_namespace: dbt_utils, search_order: [my_project, spark_utils, dbt_utils]}).
 */
public final class DispatchConfig {
    private DispatchConfig() {
    }

    public static Map<String, List<String>> load(ProjectConfig config) {
        Yaml y = Yaml.load(config.file(), config.root().relativize(config.file()));
        Yaml d = y.get("dispatch");
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (d.isNull()) return out;
        for (Yaml entry : d.items("dispatch")) {
            if (!entry.isMap()) throw entry.error("each 'dispatch' entry needs macro_namespace and search_order");
            String ns = entry.get("macro_namespace").string("macro_namespace");
            if (ns == null) throw entry.error("a 'dispatch' entry needs a 'macro_namespace'");
            List<String> order = new ArrayList<>();
            for (Yaml p : entry.get("search_order").items("search_order")) order.add(p.string("search_order"));
            if (order.isEmpty()) throw entry.error("the 'dispatch' entry for '" + ns + "' needs a non-empty 'search_order'");
            out.put(ns, List.copyOf(order));
        }
        return out;
    }
}

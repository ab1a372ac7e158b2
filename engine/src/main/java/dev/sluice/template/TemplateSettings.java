package dev.sluice.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What macro resolution depends on beyond the macros themselves.
 *
 * @param rootPackage    the project's name: its macros override dbt's global ones and it is searched first by
 *                       adapter.dispatch
 * @param adapterType    the target's type; adapter.dispatch tries {@code <type>__name}, then its parents', then
 *                       {@code default__name}
 * @param dispatchOrder  the project's {@code dispatch:} config: macro namespace to the packages searched, in order
 *                       (package names may be added by whoever installs packages)
 */
public record TemplateSettings(String rootPackage, String adapterType, Map<String, List<String>> dispatchOrder) {

    /** Internal macros (dbt's global macros, generic tests) live in this package, as in dbt. */
    public static final String DBT = "dbt";

    public static final TemplateSettings DEFAULT = new TemplateSettings(null, "default", Map.of());

    public TemplateSettings {
        dispatchOrder = Map.copyOf(dispatchOrder);
    }

    /** Macro name prefixes in dispatch order, e.g. databricks, spark, default (dbt's adapter inheritance). */
    public List<String> prefixes() {
        List<String> out = new ArrayList<>();
        String t = adapterType == null ? "default" : adapterType;
        switch (t) {
            case "default" -> { }
            case "postgresql" -> out.add("postgres");
            case "databricks" -> { out.add("databricks"); out.add("spark"); }
            case "redshift" -> { out.add("redshift"); out.add("postgres"); }
            default -> out.add(t);
        }
        out.add("default");
        return out;
    }
}

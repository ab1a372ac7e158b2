package dev.sluice.compile;

import dev.sluice.error.CompilationException;
import dev.sluice.template.JinjaObject;
import dev.sluice.template.TemplateFunction;

import java.util.List;
import java.util.Map;

/**
 * dbt's {@code config}: called, it records in-file config ({{ config(materialized='table') }}); as an object
 * it answers {@code config.get(key, default)}, {@code config.require(key)} and {@code config.set(key, value)}
 * from the node's config as resolved so far (project file, schema files, then the file's own).
 */
final class ConfigObject implements JinjaObject, TemplateFunction {
    private final String nodeName;
    private final Map<String, Object> resolved;
    private final Map<String, Object> inFile;
    /** Keys answered from the project and schema files rather than from the file's own config, or null. */
    private final java.util.Set<String> resolvedReads;
    /** What materialized is when nothing sets it, as dbt's node configs default it (view for a model); or null. */
    private final String defaultMaterialized;

    /**
     * @param resolved      the node's config from project and schema files (read only)
     * @param inFile        where this render's config(...) and config.set(...) calls are recorded
     * @param resolvedReads where keys read from resolved are recorded (a later render, whose resolved config
     *                      includes the file's own, may answer them differently), or null
     */
    ConfigObject(String nodeName, Map<String, Object> resolved, Map<String, Object> inFile, java.util.Set<String> resolvedReads,
                 String defaultMaterialized) {
        this.nodeName = nodeName;
        this.resolved = resolved;
        this.inFile = inFile;
        this.resolvedReads = resolvedReads;
        this.defaultMaterialized = defaultMaterialized;
    }

    /**
     * The config as a mapping, as dbt's {@code model.config}: the project's and schema files' config with the
     * file's own over it, materialized defaulted; reads are recorded as config.get's are.
     */
    Map<String, Object> view() {
        return new java.util.AbstractMap<>() {
            @Override
            public Object get(Object key) {
                return key instanceof String k ? value(k) : null;
            }

            @Override
            public boolean containsKey(Object key) {
                return key instanceof String k && has(k);
            }

            @Override
            public java.util.Set<Entry<String, Object>> entrySet() {
                Map<String, Object> all = new java.util.LinkedHashMap<>(resolved);
                all.putAll(inFile);
                if (defaultMaterialized != null) all.putIfAbsent("materialized", defaultMaterialized);
                return java.util.Collections.unmodifiableMap(all).entrySet();
            }
        };
    }

    @Override
    public Object call(List<Object> args, Map<String, Object> kwargs) {
        if (!args.isEmpty() && args.get(0) instanceof Map<?, ?> m) m.forEach((k, v) -> inFile.put(String.valueOf(k), v));
        inFile.putAll(kwargs);
        return "";
    }

    private boolean has(String key) {
        noteRead(key);
        return inFile.containsKey(key) || resolved.containsKey(key) || (key.equals("materialized") && defaultMaterialized != null);
    }

    private Object value(String key) {
        noteRead(key);
        Object v = inFile.containsKey(key) ? inFile.get(key) : resolved.get(key);
        return v == null && key.equals("materialized") ? defaultMaterialized : v;
    }

    private void noteRead(String key) {
        if (resolvedReads != null && !inFile.containsKey(key)) resolvedReads.add(key);
    }

    @Override
    public Object method(String name, List<Object> args, Map<String, Object> kw) {
        switch (name) {
            case "get": {
                String key = String.valueOf(WarehouseObjects.arg(args, kw, 0, "name"));
                Object fallback = WarehouseObjects.arg(args, kw, 1, "default");
                Object v = value(key);
                return v == null ? fallback : v;
            }
            case "require": {
                String key = String.valueOf(WarehouseObjects.arg(args, kw, 0, "name"));
                if (!has(key) || value(key) == null) {
                    throw new CompilationException("'" + nodeName + "' needs config '" + key + "', which is not set", null);
                }
                return value(key);
            }
            case "set": {
                inFile.put(String.valueOf(WarehouseObjects.arg(args, kw, 0, "name")), WarehouseObjects.arg(args, kw, 1, "value"));
                return "";
            }
            case "persist_relation_docs":
                return persist("relation");
            case "persist_column_docs":
                return persist("columns");
            default:
                return MISSING;
        }
    }

    private boolean persist(String what) {
        return value("persist_docs") instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get(what));
    }

    @Override
    public String jinjaName() {
        return "config";
    }

    @Override
    public String toString() {
        return "";
    }
}

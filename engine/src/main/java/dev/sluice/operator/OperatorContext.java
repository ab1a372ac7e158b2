package dev.sluice.operator;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.compile.CompiledNode;
import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import dev.sluice.project.Configs;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What an operator gets to work with.
 *
 * @param node      the operator node: its rendered config and input SQL (compiledSql, may be empty)
 * @param outputs   output name to the relation to write
 * @param targetDir the project's target folder, for models and files the operator keeps
 * @param logger    progress messages for the user
 * @param keys      the config keys the operator declares ({@link Operator#configKeys()})
 * @param engineSchema the target's own schema, where the engine keeps its tables (job runs, the activation log)
 */
public record OperatorContext(CompiledNode node, Map<String, Relation> outputs, Adapter adapter, Session session,
                              Path projectRoot, Path targetDir, Instant runStartedAt, Consumer<String> logger,
                              Set<String> keys, String engineSchema) {

    public void log(String message) {
        logger.accept(message);
    }

    public Relation output(String name) {
        Relation r = outputs.get(name);
        if (r == null) {
            throw new ConfigException("operator '" + node.name() + "' (" + node.config().get("operator_type")
                    + ") writes a table '" + name + "': list it under its outputs", where());
        }
        return r;
    }

    public SourceLocation where() {
        return new SourceLocation(node.node().file(), node.node().lineOffset(), 0);
    }

    /**
     * The configured value of a key the operator declared, as written (a mapping, a list, a scalar), or null.
     * Reading an undeclared key is a bug in the operator: its users would be warned that a key it reads is unknown.
     */
    public Object value(String key) {
        if (!keys.contains(key) && !OperatorConfigCheck.COMMON.contains(key)) {
            throw new dev.sluice.error.InternalException("operator type " + node.config().get("operator_type")
                    + " reads config '" + key + "' but does not declare it in configKeys()", where(), null);
        }
        return node.config().get(key);
    }

    public boolean bool(String key, boolean fallback) {
        return Configs.bool(value(key), fallback);
    }

    /** A list of strings (a single value counts as a list of one). */
    public List<String> strings(String key) {
        return Configs.strings(value(key));
    }

    public String string(String key, String fallback) {
        Object v = value(key);
        return v == null ? fallback : v.toString();
    }

    public long number(String key, long fallback) {
        Object v = value(key);
        if (v == null) return fallback;
        try {
            return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("'" + key + "' of operator '" + node.name() + "' must be a whole number, got '" + v + "'", where());
        }
    }

    public double decimal(String key, double fallback) {
        Object v = value(key);
        if (v == null) return fallback;
        try {
            return v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("'" + key + "' of operator '" + node.name() + "' must be a number, got '" + v + "'", where());
        }
    }

    /** The operator's input query; an operator that needs one says so clearly when it is missing. */
    public String inputSql() {
        String sql = node.compiledSql();
        if (sql == null || sql.isBlank()) {
            throw new ConfigException("operator '" + node.name() + "' needs an input query: add sql: \"select ... from {{ ref('...') }}\"", where());
        }
        return sql;
    }
}

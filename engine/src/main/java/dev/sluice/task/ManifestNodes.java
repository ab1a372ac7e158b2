package dev.sluice.task;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Secrets;
import dev.sluice.project.ColumnSpec;
import dev.sluice.project.NodeType;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a node's entry of manifest.json's nodes map straight from its compiled record, with the keys dbt's
 * schema has for its kind. A 10,000-model manifest built as maps first was a sixth of a compile's Java samples
 * and, at 50,000 models, hundreds of megabytes the collector had to keep. The bytes are those the maps gave:
 * keys in the same order, every string masked as {@link Secrets#maskTree} masks a tree, and values that are
 * not the engine's own (configs, meta, test arguments) written by the same mapper.
 */
final class ManifestNodes {
    private final Workspace ws;
    private final Secrets secrets;
    private final dev.sluice.state.MacroIndex macroIndex;

    ManifestNodes(Workspace ws, dev.sluice.state.MacroIndex macroIndex) {
        this.ws = ws;
        this.secrets = ws.secrets();
        this.macroIndex = macroIndex;
    }

    /** The entry's key: the node's id, masked as the tree's keys were. */
    String key(CompiledNode n) {
        return secrets.mask(n.uniqueId());
    }

    void write(CompiledNode n, JsonGenerator g) throws IOException {
        NodeType type = n.node().type();
        boolean seed = type == NodeType.SEED;
        g.writeStartObject();
        string(g, "unique_id", n.uniqueId());
        // dbt's resource types have no operator: an operator is a model whose engine facts say what it is.
        string(g, "resource_type", type == NodeType.OPERATOR ? "model" : type.label());
        string(g, "name", n.name());
        string(g, "package_name", n.node().packageName());
        string(g, "path", n.node().test() != null ? n.name() + ".sql" : Artifacts.resourcePath(n.node().file()));
        string(g, "original_file_path", n.node().file().toString());
        value(g, "fqn", n.node().fqn());
        string(g, "description", n.node().description());
        field(g, "config");
        config(g, n);
        value(g, "tags", dev.sluice.project.Configs.strings(n.config().get("tags")));
        value(g, "meta", n.config().getOrDefault("meta", Map.of()));
        string(g, "database", n.relation().database());
        string(g, "schema", n.relation().schema());
        string(g, "alias", n.relation().identifier());
        string(g, "relation_name", ws.adapter().render(n.relation()));
        string(g, "raw_code", n.node().rawCode());
        List<String> macros = macroIndex.calls(n.node().rawCode(), n.node().packageName());
        if (seed) {
            // A seed has no SQL of its own and no parents: dbt's seed entry has neither compiled code nor nodes.
            field(g, "depends_on");
            g.writeStartObject();
            value(g, "macros", macros);
            g.writeEndObject();
        } else {
            string(g, "language", "sql");
            field(g, "compiled");
            g.writeBoolean(n.compiledSql() != null);
            string(g, "compiled_code", n.compiledSql());
            string(g, "compiled_path", n.compiledPath() == null ? null : ws.config().root().relativize(n.compiledPath()).toString());
            field(g, "depends_on");
            g.writeStartObject();
            value(g, "macros", macros);
            value(g, "nodes", n.dependsOn());
            g.writeEndObject();
            field(g, "refs");
            refs(g, n.dependsOn());
            field(g, "sources");
            sources(g, n.dependsOn());
            field(g, "metrics");
            g.writeStartArray();
            g.writeEndArray();
        }
        // For state comparison (state:modified): the file's hash; the vars / env vars the node read are in config.
        value(g, "checksum", dev.sluice.state.NodeFacts.checksum(ws.config().root(), n.node()));
        field(g, "columns");
        columns(g, n.node().columns(), n.columns());
        if (type == NodeType.MODEL || type == NodeType.OPERATOR) {
            value(g, "constraints", dev.sluice.compile.Constraints.modelLevel(n.config()).stream().map(c -> c.json()).toList());
            value(g, "version", n.config().get("version"));
            value(g, "latest_version", n.config().get("latest_version"));
            value(g, "deprecation_date", n.config().get("deprecation_date"));
            value(g, "access", n.config().getOrDefault("access", "protected"));
            value(g, "group", n.config().get("group"));
        }
        if (n.node().test() != null) {
            String testName = n.node().test().testName();
            int dot = testName.lastIndexOf('.');
            field(g, "test_metadata");
            g.writeStartObject();
            string(g, "name", testName.substring(dot + 1));
            value(g, "kwargs", n.node().test().args());
            string(g, "namespace", dot < 0 ? null : testName.substring(0, dot));
            g.writeEndObject();
            value(g, "column_name", n.node().test().columnName());
            value(g, "attached_node", n.node().testedId());
        }
        g.writeEndObject();
    }

    /**
     * The node's rendered config without what dbt keeps outside it (constraints, versions), an operator's header
     * values masked (they often carry tokens rendered from env_var(), and manifest.json is not a place for
     * secrets), and the engine's facts under {@link Artifacts#ENGINE_FACTS}: in place of a config key of that
     * name, else last.
     */
    private void config(JsonGenerator g, CompiledNode n) throws IOException {
        g.writeStartObject();
        boolean factsWritten = false;
        for (Map.Entry<String, Object> e : n.config().entrySet()) {
            String k = e.getKey();
            if (k.equals(dev.sluice.project.SchemaFileParser.CONSTRAINTS) || k.equals(dev.sluice.compile.Constraints.TARGETS)
                    || k.equals(dev.sluice.project.SchemaFileParser.VERSIONS)) {
                continue;
            }
            field(g, String.valueOf(k));
            if (k.equals(Artifacts.ENGINE_FACTS)) {
                facts(g, n);
                factsWritten = true;
            } else if (k.equals("headers") && e.getValue() instanceof Map<?, ?> headers) {
                g.writeStartObject();
                for (Object h : headers.keySet()) string(g, String.valueOf(h), "<redacted>");
                g.writeEndObject();
            } else {
                g.writeObject(secrets.maskTree(e.getValue()));
            }
        }
        if (!factsWritten) {
            field(g, Artifacts.ENGINE_FACTS);
            facts(g, n);
        }
        g.writeEndObject();
    }

    /**
     * Engine facts beyond dbt's (dbt's schema allows no extra keys on a node but any in its config):
     * state:modified.configs ignores them.
     */
    private void facts(JsonGenerator g, CompiledNode n) throws IOException {
        g.writeStartObject();
        if (n.node().type() == NodeType.OPERATOR) string(g, "resource_type", n.node().type().label());
        value(g, "vars_used", dev.sluice.state.NodeFacts.hashedInputs(ws.inputsUsed(n.uniqueId())));
        field(g, "column_lineage");
        g.writeStartObject();
        for (var e : n.lineage().entrySet()) {
            field(g, e.getKey());
            g.writeStartArray();
            for (String s : e.getValue().stream().map(s -> s.table() + "." + s.column()).sorted().toList()) {
                g.writeString(secrets.mask(s));
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        field(g, "sql_parsed");
        g.writeBoolean(n.parsed());
        g.writeEndObject();
    }

    /** Inferred columns first, each replaced in place by a documented one of its name; then the other documented. */
    private void columns(JsonGenerator g, List<ColumnSpec> documented, List<String> inferred) throws IOException {
        Map<String, ColumnSpec> order = new LinkedHashMap<>();
        for (String c : inferred) order.put(c, null);
        for (ColumnSpec c : documented) order.put(c.name(), c);
        g.writeStartObject();
        for (Map.Entry<String, ColumnSpec> e : order.entrySet()) {
            field(g, e.getKey());
            g.writeStartObject();
            ColumnSpec c = e.getValue();
            if (c == null) {
                string(g, "name", e.getKey());
                string(g, "description", "");
            } else {
                string(g, "name", c.name());
                string(g, "description", c.description());
                string(g, "data_type", c.dataType());
                value(g, "meta", c.meta());
                value(g, "constraints", c.constraints().stream().map(k -> k.json()).toList());
                value(g, "quote", c.quote() ? Boolean.TRUE : null);
                value(g, "tags", c.tags());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** ref parents as dbt lists them: model.package.name, or model.package.name.v2 for a versioned model. */
    private void refs(JsonGenerator g, List<String> parents) throws IOException {
        g.writeStartArray();
        for (String d : parents) {
            if (d.startsWith("source.")) continue;
            String[] parts = d.split("\\.");
            g.writeStartObject();
            string(g, "name", parts.length > 2 ? parts[2] : d);
            string(g, "package", parts.length > 2 ? parts[1] : null);
            string(g, "version", parts.length > 3 && parts[3].startsWith("v") ? parts[3].substring(1) : null);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void sources(JsonGenerator g, List<String> parents) throws IOException {
        g.writeStartArray();
        for (String d : parents) {
            String[] parts = d.split("\\.");
            if (d.startsWith("source.") && parts.length >= 4) {
                g.writeStartArray();
                g.writeString(secrets.mask(parts[2]));
                g.writeString(secrets.mask(parts[parts.length - 1]));
                g.writeEndArray();
            }
        }
        g.writeEndArray();
    }

    private void field(JsonGenerator g, String name) throws IOException {
        g.writeFieldName(secrets.mask(name));
    }

    private void string(JsonGenerator g, String name, String value) throws IOException {
        field(g, name);
        g.writeString(secrets.mask(value));
    }

    /** Any value, written by the mapper as a map's value is. */
    private void value(JsonGenerator g, String name, Object value) throws IOException {
        field(g, name);
        g.writeObject(secrets.maskTree(value));
    }
}

package dev.sluice.ml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.Session;
import dev.sluice.seed.ColumnType;
import org.tribuo.Model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model registry: one row per trained model version in a warehouse table {@value #TABLE}, in the schema of
 * the ML node's outputs. A row names the node, its version, the fingerprint of the training data and configuration
 * it was trained on, its metrics and decision threshold (JSON), when and how long it trained, Tribuo's provenance
 * (JSON) and where the serialised model is kept. The models themselves stay in the project's artifact folder
 * (target/ml/&lt;node&gt;/&lt;version&gt;.*, see {@link ModelStore}): warehouses differ too much on binary columns,
 * and a model file is what Tribuo reads back. A build whose fingerprint has a row and whose files are there
 * reuses that model instead of training again.
 */
public final class ModelRegistry {
    public static final String TABLE = "model_registry";
    static final List<String> COLUMNS = List.of("name", "version", "fingerprint", "model_type", "metrics", "threshold",
            "trained_at", "training_seconds", "provenance", "artifact");
    static final List<ColumnType> TYPES = List.of(ColumnType.TEXT, ColumnType.TEXT, ColumnType.TEXT, ColumnType.TEXT,
            ColumnType.TEXT, ColumnType.DOUBLE, ColumnType.TIMESTAMP, ColumnType.DOUBLE, ColumnType.TEXT, ColumnType.TEXT);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One registered version; metrics and provenance are JSON text, threshold null for models without one. */
    public record Entry(String name, String version, String fingerprint, String modelType, String metrics,
                        Double threshold, LocalDateTime trainedAt, double trainingSeconds, String provenance,
                        String artifact) {
        List<Object> values() {
            return Arrays.asList(name, version, fingerprint, modelType, metrics, threshold, trainedAt, trainingSeconds,
                    provenance, artifact);
        }
    }

    private final Adapter adapter;
    private final Session session;
    private final Relation table;

    /** @param inSchema any relation in the schema that holds the registry (the node's first output) */
    public ModelRegistry(Adapter adapter, Session session, Relation inSchema) {
        this.adapter = adapter;
        this.session = session;
        this.table = inSchema.withIdentifier(TABLE);
    }

    public Relation table() {
        return table;
    }

    /** The newest version of a node trained on this fingerprint, if the registry has one. */
    public Optional<Entry> find(String name, String fingerprint) {
        if (session.relationKind(table).isEmpty()) return Optional.empty();
        List<Map<String, Object>> rows = session.query("select " + String.join(", ", COLUMNS.stream().map(adapter::quote).toList())
                + " from " + adapter.render(table) + " where " + adapter.quote("name") + " = " + adapter.stringLiteral(name)
                + " and " + adapter.quote("fingerprint") + " = " + adapter.stringLiteral(fingerprint)
                + " order by " + adapter.quote("trained_at") + " desc");
        if (rows.isEmpty()) return Optional.empty();
        Map<String, Object> r = lower(rows.get(0));
        Object trained = r.get("trained_at");
        return Optional.of(new Entry(str(r.get("name")), str(r.get("version")), str(r.get("fingerprint")),
                str(r.get("model_type")), str(r.get("metrics")),
                r.get("threshold") == null ? null : ((Number) r.get("threshold")).doubleValue(),
                trained instanceof java.sql.Timestamp t ? t.toLocalDateTime() : trained instanceof LocalDateTime l ? l : null,
                ((Number) r.get("training_seconds")).doubleValue(), str(r.get("provenance")), str(r.get("artifact"))));
    }

    /** How many versions of a node the registry holds. */
    public long count(String name) {
        if (session.relationKind(table).isEmpty()) return 0;
        Object n = session.query("select count(*) from " + adapter.render(table) + " where " + adapter.quote("name")
                + " = " + adapter.stringLiteral(name)).get(0).values().iterator().next();
        return ((Number) n).longValue();
    }

    /** Adds a version row, replacing an earlier row of the same name and version (a model retrained after its files went missing). */
    public void register(Entry e) {
        session.execute(adapter.createSchemaSql(table));
        if (session.relationKind(table).isEmpty()) {
            List<String> defs = new ArrayList<>();
            for (int i = 0; i < COLUMNS.size(); i++) defs.add(adapter.quote(COLUMNS.get(i)) + " " + adapter.typeFor(TYPES.get(i)));
            try {
                session.execute(adapter.createTableColumnsSql(table, defs));
            } catch (dev.sluice.error.DatabaseException raced) {
                // The churn and segmentation nodes of one run register at the same time: on PostgreSQL the
                // second create of the new table fails on the catalog's unique index. The table is there then.
                if (session.relationKind(table).isEmpty()) throw raced;
            }
        } else {
            session.execute("delete from " + adapter.render(table) + " where " + adapter.quote("name") + " = "
                    + adapter.stringLiteral(e.name()) + " and " + adapter.quote("version") + " = " + adapter.stringLiteral(e.version()));
        }
        session.append(table, COLUMNS, TYPES, List.of(e.values()).iterator());
    }

    /** SHA-256 over the parts (e.g. the data's digest, the trainer configuration, the format of the stored files). */
    public static String fingerprint(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                md.update(p.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new MlException("cannot write registry JSON: " + e.getMessage(), e);
        }
    }

    public static String provenanceJson(Model<?> model) {
        return json(ProvenanceUtil.convertToMap(model.getProvenance()));
    }

    /** Warehouses that fold unquoted names (Snowflake) may report column names in upper case. */
    private static Map<String, Object> lower(Map<String, Object> row) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return out;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}

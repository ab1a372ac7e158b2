package dev.sluice.adapter;

import dev.sluice.seed.ColumnType;
import dev.sluice.seed.CsvTable;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A session whose relation look-ups are answered by the run's {@link RelationCache}, and whose statements
 * keep that cache current. Statements that fail leave the catalog in a state only the warehouse knows, so
 * the cache forgets what it knew.
 */
public final class CachingSession implements Session {
    private final Session inner;
    private final RelationCache cache;

    public CachingSession(Session inner, RelationCache cache) {
        this.inner = inner;
        this.cache = cache;
    }

    @Override
    public void execute(String sql) {
        try {
            inner.execute(sql);
        } catch (RuntimeException e) {
            cache.forgetAll();
            throw e;
        }
        cache.observe(inner, sql);
    }

    @Override
    public long executeCounted(String sql) {
        long n;
        try {
            n = inner.executeCounted(sql);
        } catch (RuntimeException e) {
            cache.forgetAll();
            throw e;
        }
        cache.observe(inner, sql);
        return n;
    }

    @Override
    public List<Map<String, Object>> query(String sql) {
        return inner.query(sql);
    }

    @Override
    public void query(String sql, RowSink sink) {
        inner.query(sql, sink);
    }

    @Override
    public List<Map<String, Object>> queryTimes(String sql) {
        return inner.queryTimes(sql);
    }

    @Override
    public List<String> resultColumns(String sql) {
        return inner.resultColumns(sql);
    }

    @Override
    public List<ColumnInfo> resultColumnTypes(String sql) {
        return inner.resultColumnTypes(sql);
    }

    @Override
    public void transaction(List<String> statements) {
        try {
            inner.transaction(statements);
        } catch (RuntimeException e) {
            cache.forgetAll();
            throw e;
        }
        cache.observe(inner, statements);
    }

    @Override
    public long transactionCounted(List<String> statements, int counted) {
        long n;
        try {
            n = inner.transactionCounted(statements, counted);
        } catch (RuntimeException e) {
            cache.forgetAll();
            throw e;
        }
        cache.observe(inner, statements);
        return n;
    }

    @Override
    public Optional<RelationKind> relationKind(Relation relation) {
        return cache.kind(inner, relation);
    }

    @Override
    public Optional<Map<String, RelationKind>> listRelations(Relation inSchema) {
        return cache.inSchema(inner, inSchema);
    }

    @Override
    public Optional<Map<String, CatalogRelation>> catalog(Relation inSchema) {
        return inner.catalog(inSchema);
    }

    @Override
    public String storedName(String identifier) {
        return inner.storedName(identifier);
    }

    @Override
    public String storedName(String name, boolean quoted) {
        return inner.storedName(name, quoted);
    }

    @Override
    public List<ColumnInfo> columns(Relation relation) {
        return inner.columns(relation);
    }

    @Override
    public long load(Relation relation, CsvTable table, Map<String, String> columnTypes) {
        return inner.load(relation, table, columnTypes);
    }

    @Override
    public long append(Relation relation, List<String> columns, List<ColumnType> types, Iterator<List<Object>> rows) {
        return inner.append(relation, columns, types, rows);
    }

    @Override
    public Session raw() {
        return inner.raw();
    }

    @Override
    public void cancel() {
        inner.cancel();
    }

    @Override
    public void close() {
        inner.close();
    }
}

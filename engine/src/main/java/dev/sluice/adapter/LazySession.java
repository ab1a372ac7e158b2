package dev.sluice.adapter;

import dev.sluice.seed.ColumnType;
import dev.sluice.seed.CsvTable;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A session that connects on its first use: compile needs the warehouse only when a template asks it
 * (is_incremental(), a syntax check of SQL the engine's parser rejected), and most compiles never do.
 * Calls are serialised, so templates rendered on several threads can share it.
 */
public final class LazySession implements Session {
    private final Supplier<Session> opener;
    private volatile Session session;

    public LazySession(Supplier<Session> opener) {
        this.opener = opener;
    }

    private synchronized Session s() {
        if (session == null) session = opener.get();
        return session;
    }

    /** Whether a connection was made. */
    public synchronized boolean connected() {
        return session != null;
    }

    @Override
    public synchronized void execute(String sql) {
        s().execute(sql);
    }

    @Override
    public synchronized long executeCounted(String sql) {
        return s().executeCounted(sql);
    }

    @Override
    public synchronized List<Map<String, Object>> query(String sql) {
        return s().query(sql);
    }

    @Override
    public synchronized void query(String sql, RowSink sink) {
        s().query(sql, sink);
    }

    @Override
    public synchronized List<Map<String, Object>> queryTimes(String sql) {
        return s().queryTimes(sql);
    }

    @Override
    public synchronized List<String> resultColumns(String sql) {
        return s().resultColumns(sql);
    }

    @Override
    public synchronized List<ColumnInfo> resultColumnTypes(String sql) {
        return s().resultColumnTypes(sql);
    }

    @Override
    public synchronized void transaction(List<String> statements) {
        s().transaction(statements);
    }

    @Override
    public synchronized long transactionCounted(List<String> statements, int counted) {
        return s().transactionCounted(statements, counted);
    }

    @Override
    public synchronized Optional<RelationKind> relationKind(Relation relation) {
        return s().relationKind(relation);
    }

    @Override
    public synchronized Optional<Map<String, RelationKind>> listRelations(Relation inSchema) {
        return s().listRelations(inSchema);
    }

    @Override
    public synchronized Optional<Map<String, CatalogRelation>> catalog(Relation inSchema) {
        return s().catalog(inSchema);
    }

    @Override
    public synchronized String storedName(String identifier) {
        return s().storedName(identifier);
    }

    @Override
    public synchronized String storedName(String name, boolean quoted) {
        return s().storedName(name, quoted);
    }

    @Override
    public synchronized List<ColumnInfo> columns(Relation relation) {
        return s().columns(relation);
    }

    @Override
    public synchronized long load(Relation relation, CsvTable table, Map<String, String> columnTypes) {
        return s().load(relation, table, columnTypes);
    }

    @Override
    public synchronized long append(Relation relation, List<String> columns, List<ColumnType> types, Iterator<List<Object>> rows) {
        return s().append(relation, columns, types, rows);
    }

    @Override
    public synchronized Session raw() {
        return s().raw();
    }

    /** Nothing runs on a session not yet opened; not synchronized, as the thread running a statement holds the lock. */
    @Override
    public void cancel() {
        Session s = session;
        if (s != null) s.cancel();
    }

    @Override
    public synchronized void close() {
        if (session != null) session.close();
    }
}

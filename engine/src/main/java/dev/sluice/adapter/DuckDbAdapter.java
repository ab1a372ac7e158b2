package dev.sluice.adapter;

import dev.sluice.error.ConfigException;
import dev.sluice.error.DatabaseException;
import dev.sluice.project.Target;
import dev.sluice.seed.ColumnType;
import dev.sluice.sql.SqlSyntaxError;
import org.apache.arrow.memory.BufferAllocator;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded default. One root connection per adapter; every session is a duplicate of it, which is how DuckDB
 * lets several threads of one process share a file (its driver shares the database instance of a file among all
 * of a process's connections to it).
 */
public final class DuckDbAdapter implements Adapter {
    private static final Pattern LINE = Pattern.compile("LINE (\\d+):");
    private static final Pattern HELD_BY = Pattern.compile("Conflicting lock is held in .*?\\(PID (\\d+)\\)");
    private final String path;
    /** DuckDB options from the output's {@code settings:}, given to the database as it opens (as dbt-duckdb). */
    private final Properties options = new Properties();
    /** The output, for an error that names where its options were written. */
    private final Target target;
    /** Opened on the first session: commands that never query (ls, parse, compile) do not load DuckDB at all. */
    private DuckDBConnection root;
    /**
     * Memory of the Arrow batches that sessions append with. One for the database's life, not one per append: DuckDB
     * releases a scan's last batches when the query's tasks are destroyed, which with two sessions appending can
     * come just after the insert returned.
     */
    private BufferAllocator arrowMemory;

    /**
     * The in-process sections of each database file. Process-wide, not per adapter: DuckDB's driver gives every
     * connection of one process to the same file the same database instance, whichever adapter opened it.
     */
    private static final Map<String, ReentrantLock> FILE_SECTIONS = new ConcurrentHashMap<>();
    /** An in-memory database is this adapter's alone. */
    private final Map<String, ReentrantLock> memorySections = new ConcurrentHashMap<>();

    public DuckDbAdapter(Target target) {
        Object p = target.settings().get("path");
        this.path = p == null ? ":memory:" : p.toString();
        if (target.settings().get("settings") instanceof java.util.Map<?, ?> m) m.forEach((k, v) -> options.setProperty(k.toString(), v.toString()));
        this.target = target;
    }

    /**
     * A private in-memory DuckDB, whatever the target (files read for external sources, written for generators and
     * exports). Opened through the driver by name: DriverManager only knows the drivers loaded for the target.
     */
    public static DuckDBConnection inMemory() throws SQLException {
        requireNativeLibrary();
        return new DuckDBDriver().connect("jdbc:duckdb:", new Properties()).unwrap(DuckDBConnection.class);
    }

    /** One line naming the missing library, before DuckDB's loader prints its stack trace and fails. */
    private static void requireNativeLibrary() {
        if (NativeLibrary.MISSING.isPresent()) throw new ConfigException(NativeLibrary.MISSING.get());
    }

    /** Looked for once per process, on first use: the files do not come and go during a run. */
    private static final class NativeLibrary {
        static final Optional<String> MISSING = DuckDbLibrary.missing();
    }

    /**
     * DuckDB 1.4.4 can fail fatally ("Unaligned fetch in validity and main column data for update"), invalidating the
     * whole database, when connections of one process update one table at once (seen with JobLock's concurrent takers); the process is DuckDB's only
     * writer, so running such updates one at a time here takes nothing from other processes.
     */
    @Override
    public <T> T inProcessSection(String section, Supplier<T> work) {
        ReentrantLock lock = path.equals(":memory:") ? memorySections.computeIfAbsent(section, k -> new ReentrantLock())
                : FILE_SECTIONS.computeIfAbsent(Path.of(path).toAbsolutePath().normalize() + "\u0000" + section, k -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    private synchronized DuckDBConnection root() {
        if (root != null) return root;
        requireNativeLibrary();
        try {
            if (!path.equals(":memory:")) {
                Path parent = Path.of(path).toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
            }
            // The driver by name rather than through DriverManager, which initialises every bundled driver.
            Properties given = new Properties();
            given.putAll(options);
            Connection c = new DuckDBDriver().connect(path.equals(":memory:") ? "jdbc:duckdb:" : "jdbc:duckdb:" + path,
                    given);
            root = c.unwrap(DuckDBConnection.class);
            return root;
        } catch (SQLException e) {
            java.util.regex.Matcher held = HELD_BY.matcher(String.valueOf(e.getMessage()));
            if (held.find()) {
                // DuckDB lets one process open a file; its own message runs over several lines with a link.
                throw new DatabaseException("another process (PID " + held.group(1) + ") has the DuckDB database " + path
                        + " open; DuckDB lets one process use a file at a time: run again when it has finished", e);
            }
            java.util.Set<String> refused = options.isEmpty() ? java.util.Set.of()
                    : refusedSettings(options.stringPropertyNames(), String.valueOf(e.getMessage()), knownSettings());
            if (!refused.isEmpty()) {
                // A misspelt or mistyped option: the user's fix is in the profile, not the database.
                throw new ConfigException(dev.sluice.project.ProfileLoader.keyAt(target, "settings") + ": DuckDB refused the output's settings " + refused
                        + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            }
            throw new DatabaseException("cannot open DuckDB database " + path + ": " + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new ConfigException("cannot open DuckDB database " + path + ": " + e.getMessage());
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            // The runnable jar keeps DuckDB's native library beside it (libduckdb_java.so_<platform>), not inside.
            Throwable cause = e.getCause() != null && e.getCause().getCause() != null ? e.getCause().getCause() : e;
            throw new ConfigException("cannot load DuckDB's native library (libduckdb_java.so_<platform> belongs beside the"
                    + " engine's jar): " + cause.getMessage());
        }
    }

    /**
     * Which of the output's settings a failure to open the database is about: those DuckDB does not know (neither
     * a setting of its own nor one of its driver's) and those its message names, as it does for a value it refuses
     * ("option \"threads\"") or an extension's setting it cannot load ("the s3_region setting"). Empty when the
     * failure is another one, such as a damaged file.
     *
     * @param known the names DuckDB lists, or none when it could not say (then only the message counts)
     */
    static java.util.SortedSet<String> refusedSettings(java.util.Set<String> given, String message, java.util.Set<String> known) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (String name : given) {
            boolean unknown = !known.isEmpty() && known.stream().noneMatch(name::equalsIgnoreCase);
            // The name as a word of its own: "threads" is not named by "1 thread", nor "memory_limit" by "memory_limits".
            Pattern named = Pattern.compile("(?<![\\w.])" + Pattern.quote(name) + "(?![\\w])", Pattern.CASE_INSENSITIVE);
            if (unknown || named.matcher(message).find()) out.add(name);
        }
        return out;
    }

    /** The names DuckDB takes when a database opens: its settings and its JDBC driver's own; none if it cannot say. */
    private static java.util.Set<String> knownSettings() {
        try {
            java.util.Set<String> names = new java.util.HashSet<>();
            for (java.sql.DriverPropertyInfo p : new DuckDBDriver().getPropertyInfo("jdbc:duckdb:", new Properties())) names.add(p.name);
            return names;
        } catch (SQLException | RuntimeException e) {
            return java.util.Set.of();
        }
    }

    /** DuckDB keeps the case of unquoted identifiers (and compares them case-insensitively). */
    @Override
    public String foldUnquoted(String identifier) {
        return identifier;
    }

    @Override
    public String type() {
        return "duckdb";
    }

    @Override
    public Session open() {
        try {
            return new DuckDbSession(this, (DuckDBConnection) root().duplicate(), arrowMemory());
        } catch (SQLException e) {
            throw new DatabaseException("cannot open a DuckDB connection: " + e.getMessage(), e);
        }
    }

    @Override
    public String narrowToIntegerSql(Relation table, String column) {
        return "alter table " + render(table) + " alter column " + quote(column) + " type integer";
    }

    @Override
    public String typeFor(ColumnType type) {
        return switch (type) {
            case BOOLEAN -> "boolean";
            case BIGINT -> "bigint";
            case DOUBLE -> "double";
            case DECIMAL -> "decimal(38, 10)";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case TEXT -> "varchar";
        };
    }

    @Override
    public Optional<String> widenColumnTypeSql(Session session, Relation target, Relation staging, ColumnInfo have, ColumnInfo come) {
        return DuckDbEnumWidening.alter(session, this, target, staging, have, come);
    }

    /**
     * DuckDB stores such a column as a dictionary anyway, but chooses so only after also analysing FSST and plain
     * storage for each segment, a tenth of the CPU of inserting four such columns; told, it skips that. The clause
     * belongs to the column, so other tables of the file keep DuckDB's own choice. A file of storage v1.3.0 or later
     * (a profile's {@code storage_compatibility_version}) refuses that method, which it only reads, and stores such
     * columns as DICT_FSST by itself; there, and wherever the version cannot be read, the column is plain varchar.
     */
    @Override
    public String fewValuesTextType(Session session) {
        List<Map<String, Object>> rows = session.query(
                "select cast(tags['storage_version'] as varchar) as v from duckdb_databases() where database_name = current_database()");
        Object version = rows.isEmpty() ? null : rows.get(0).get("v");
        return version != null && dictionaryClauseAccepted(version.toString()) ? "varchar using compression dictionary" : "varchar";
    }

    /** Whether a file of this storage version (DuckDB's tag, e.g. "v1.0.0+") accepts {@code using compression dictionary}. */
    static boolean dictionaryClauseAccepted(String storageVersion) {
        Matcher m = Pattern.compile("^v(\\d+)\\.(\\d+)\\.").matcher(storageVersion);
        if (!m.find()) return false;
        int major = Integer.parseInt(m.group(1)), minor = Integer.parseInt(m.group(2));
        return major == 0 || (major == 1 && minor < 3);
    }

    /** DuckDB can parse without binding: json_serialize_sql reports syntax errors only. */
    @Override
    public Optional<SqlSyntaxError> checkSyntax(Session session, String sql) {
        if (!(session.raw() instanceof JdbcSession js)) return Optional.empty();
        String check = "select json_extract_string(j, '$.error')::boolean, json_extract_string(j, '$.error_message') "
                + "from (select json_serialize_sql(?::varchar) as j)";
        SqlLog.sent(type(), check, List.of(sql));
        try (PreparedStatement ps = js.connection().prepareStatement(check)) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) return Optional.empty();
                String msg = rs.getString(2);
                if (msg != null && msg.startsWith("Only SELECT")) return Optional.empty();
                Matcher m = msg == null ? null : LINE.matcher(msg);
                int line = m != null && m.find() ? Integer.parseInt(m.group(1)) : 0;
                String first = msg == null ? "syntax error" : msg.lines().findFirst().orElse(msg);
                return Optional.of(new SqlSyntaxError(first, line, 0));
            }
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /**
     * CREATE OR REPLACE is atomic in DuckDB: the old relation stays until the statement commits, and a failing
     * statement (or a killed process) leaves it as it was. A change of kind needs a drop first, in the same
     * transaction. Cheaper than building aside and renaming: one statement, no catalog look-ups.
     */
    @Override
    public boolean replacesInPlace(RelationKind kind) {
        return true;
    }

    @Override
    public List<String> replaceInPlaceSql(Relation target, RelationKind kind, Optional<RelationKind> existing, String select) {
        List<String> out = new ArrayList<>();
        if (existing.isPresent() && existing.get() != kind) out.add(dropSql(target, existing.get()));
        out.add("create or replace " + kind.sql() + " " + render(target) + " as (\n" + select + "\n)");
        return out;
    }

    /** DuckDB has no users or privileges; grants are a no-op there, as in dbt-duckdb. */
    @Override
    public Optional<String> grantSql(Relation r, RelationKind kind, String privilege, String grantee) {
        return Optional.empty();
    }

    @Override
    public Optional<String> revokeSql(Relation r, RelationKind kind, String privilege, String grantee) {
        return Optional.empty();
    }

    /** DuckDB checks every constraint it accepts, as dbt-duckdb declares; its DDL is transactional. */
    @Override
    public ConstraintSupport constraintSupport(String type) {
        return ConstraintSupport.ENFORCED;
    }

    /** A default fills the existing rows (DuckDB writes only the new column, compressed to a constant); dropping it leaves a plain column. */
    @Override
    public Optional<List<String>> addConstantColumnSql(Relation r, String column, String type, String valueSql) {
        return Optional.of(List.of(addColumnSql(r, column, type) + " default " + valueSql,
                "alter table " + render(r) + " alter column " + quote(column) + " drop default"));
    }

    /**
     * DuckDB's added column is filled row by row and held uncompressed until a later checkpoint compresses it (for
     * the 50,000-customer batch about 1 s of CPU for the alter and 1-2.5 s for that checkpoint, in whichever node
     * it falls), while written with the rows it is compressed with their row groups as a one-value dictionary.
     */
    @Override
    public boolean constantColumnWithRows() {
        return true;
    }

    /** Appends never conflict in DuckDB; a transaction's rows join the end of the table when it commits. */
    @Override
    public boolean appendsInParallel() {
        return true;
    }

    @Override
    public boolean transactionalDdl() {
        return true;
    }

    @Override
    public String describe() {
        return "duckdb database " + path;
    }

    @Override
    public void close() {
        try {
            synchronized (this) {
                if (root != null) root.close();
            }
        } catch (SQLException ignored) {
            // Nothing to do: the process is finishing with this database.
        }
        synchronized (this) {
            if (arrowMemory == null) return;
            long held = arrowMemory.getAllocatedMemory();
            // Batches still held belong to a session left open; closing would fail, so they are left to it.
            if (held == 0) arrowMemory.close();
            else LoggerFactory.getLogger("engine.duckdb").warn("{} bytes of Arrow batches still held by an open session"
                    + " of {} at close", held, path);
        }
    }

    private synchronized BufferAllocator arrowMemory() {
        if (arrowMemory == null) arrowMemory = DuckDbSession.newArrowMemory();
        return arrowMemory;
    }
}

package dev.sluice.adapter;

import dev.sluice.error.ConfigException;
import dev.sluice.error.DatabaseException;
import dev.sluice.project.Target;
import dev.sluice.seed.ColumnType;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import dev.sluice.sql.SqlSyntaxError;
import org.postgresql.util.PSQLException;
import java.util.Properties;

/** PostgreSQL through its JDBC driver; profile keys as in dbt-postgres (host, port, user, password, dbname). */
public final class PostgresAdapter implements Adapter {
    private final String url;
    private final Properties props = new Properties();
    private final String description;

    /**
     * A schema is named without its database: PostgreSQL's schema DDL takes no database part (a session reaches
     * only its own database), where dbt-postgres passes database=target's too, e.g. a snapshot's target_database.
     */
    @Override
    public String schemaName(Relation inSchema) {
        return quote(inSchema.schema());
    }

    /** dbt-postgres's query: what others were granted by the current role (the owner's own rights are not listed). */
    @Override
    public java.util.Optional<String> showGrantsSql(Relation r, RelationKind kind) {
        return java.util.Optional.of("select grantee, privilege_type from information_schema.role_table_grants "
                + "where grantor = current_role and grantee <> current_role and table_schema = " + stringLiteral(r.schema())
                + " and table_name = " + stringLiteral(r.identifier()));
    }

    @Override
    public java.util.Optional<java.util.List<String>> grantOf(java.util.Map<String, Object> row) {
        Object privilege = row.get("privilege_type"), grantee = row.get("grantee");
        if (privilege == null || grantee == null) return java.util.Optional.empty();
        return java.util.Optional.of(java.util.List.of(privilege.toString(), grantee.toString()));
    }

    /** PUBLIC is the keyword for every role, not a role: quoted it would name one that does not exist. */
    @Override
    public java.util.Optional<String> revokeSql(Relation r, RelationKind kind, String privilege, String grantee) {
        String who = grantee.equalsIgnoreCase("public") ? "public" : quote(grantee);
        return java.util.Optional.of("revoke " + privilege + " on " + render(r) + " from " + who);
    }

    public PostgresAdapter(Target target) {
        String host = target.setting("host");
        String db = target.setting("dbname") != null ? target.setting("dbname") : target.setting("database");
        String user = target.setting("user");
        if (host == null || db == null || user == null) {
            throw new ConfigException("a postgres target needs host, user and dbname (target '" + target.name() + "')");
        }
        String port = target.setting("port") == null ? "5432" : target.setting("port");
        this.url = "jdbc:postgresql://" + host + ":" + port + "/" + db;
        props.setProperty("user", user);
        if (target.setting("password") != null) props.setProperty("password", target.setting("password"));
        if (target.setting("sslmode") != null) props.setProperty("sslmode", target.setting("sslmode"));
        props.setProperty("ApplicationName", "sluice");
        props.setProperty("connectTimeout", target.setting("connect_timeout") == null ? "10" : target.setting("connect_timeout"));
        this.description = "postgres " + user + "@" + host + ":" + port + "/" + db;
    }

    private static final java.sql.Driver DRIVER = new org.postgresql.Driver();

    @Override
    public String type() {
        return "postgres";
    }

    @Override
    public Session open() {
        try {
            // The driver by name, not DriverManager, which would initialise every driver on the class path.
            Connection c = DRIVER.connect(url, props);
            return new PostgresSession(this, c);
        } catch (SQLException e) {
            throw new DatabaseException("cannot connect to " + description + ": " + e.getMessage(), e);
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
            case DOUBLE -> "double precision";
            case DECIMAL -> "numeric";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case TEXT -> "text";
        };
    }

    /** Views in PostgreSQL depend on what they read; dbt drops them with the relation and rebuilds them. */
    @Override
    public String dropSql(Relation r, RelationKind kind) {
        return "drop " + kind.sql() + " if exists " + render(r) + " cascade";
    }

    /** A transaction-scoped advisory lock: the server frees it at commit or rollback, killed client included. */
    @Override
    public Optional<String> exclusiveSectionSql(long key) {
        return Optional.of("select pg_advisory_xact_lock(" + key + ")");
    }

    /**
     * A PostgreSQL view is bound to the relation it reads, not to its name, so replacing that relation (rename
     * swap, or drop and create) drops the views on it, and the views on those. Rather than lose them, as dbt
     * does, this saves in the transaction, with every name qualified, the DDL that re-creates each of them:
     * definition and options, a materialized view's data and indexes, comments, grants and owner, in the order
     * they depend on each other. Triggers and rules on such a view are not re-created, so they stop the swap.
     * The DDL is kept in transaction-local settings, which end with the transaction: per statement, the view's
     * stored name (schema.name) and how messages name it.
     */
    @Override
    public Optional<String> saveDependentsSql(Relation target) {
        return Optional.of("""
                do $sluice$
                declare
                  rel regclass := to_regclass(%s);
                  path text := current_setting('search_path');
                  ddl text[] := '{}';
                  keys text[] := '{}';
                  names text[] := '{}';
                  stmts text[];
                  v record;
                  c record;
                  what text;
                  name text;
                begin
                  if rel is null then return; end if;
                  -- With only pg_catalog on the path, pg_get_viewdef qualifies every other name it writes.
                  perform set_config('search_path', 'pg_catalog', true);
                  for v in
                    with recursive dep(oid, depth) as (
                      select r.ev_class, 1 from pg_depend d join pg_rewrite r on r.oid = d.objid
                      where d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass
                        and d.refobjid = rel and r.ev_class <> rel
                      union
                      select r.ev_class, dep.depth + 1 from dep
                      join pg_depend d on d.refobjid = dep.oid and d.classid = 'pg_rewrite'::regclass
                        and d.refclassid = 'pg_class'::regclass
                      join pg_rewrite r on r.oid = d.objid where r.ev_class <> dep.oid
                    )
                    select k.oid, n.nspname, k.relname, k.relkind, k.reloptions, k.relispopulated, k.relacl, k.relowner
                    from (select oid, max(depth) as depth from dep group by oid) m
                    join pg_class k on k.oid = m.oid join pg_namespace n on n.oid = k.relnamespace
                    order by m.depth, n.nspname, k.relname
                  loop
                    what := case v.relkind when 'm' then 'materialized view' else 'view' end;
                    name := format('%%I.%%I', v.nspname, v.relname);
                    if exists (select from pg_trigger where tgrelid = v.oid)
                        or exists (select from pg_rewrite where ev_class = v.oid and rulename <> '_RETURN') then
                      raise exception 'cannot replace %%: %% %% reads it and has triggers or rules, which the engine does not re-create', rel::text, what, name;
                    end if;
                    stmts := array[format('create %%s %%s%%s as %%s%%s', what, name,
                        case when v.reloptions is null then '' else ' with (' || array_to_string(v.reloptions, ', ') || ')' end,
                        regexp_replace(pg_get_viewdef(v.oid), ';[[:space:]]*$', ''),
                        case when v.relkind <> 'm' then '' when v.relispopulated then ' with data' else ' with no data' end)];
                    for c in select pg_get_indexdef(indexrelid) as def from pg_index where indrelid = v.oid loop
                      stmts := stmts || c.def;
                    end loop;
                    if obj_description(v.oid, 'pg_class') is not null then
                      stmts := stmts || format('comment on %%s %%s is %%L', what, name, obj_description(v.oid, 'pg_class'));
                    end if;
                    for c in select attname, col_description(v.oid, attnum) as text from pg_attribute
                        where attrelid = v.oid and attnum > 0 and not attisdropped and col_description(v.oid, attnum) is not null loop
                      stmts := stmts || format('comment on column %%s.%%I is %%L', name, c.attname, c.text);
                    end loop;
                    for c in select a.privilege_type, a.grantee, a.is_grantable from aclexplode(v.relacl) a
                        where a.grantee <> v.relowner loop
                      stmts := stmts || format('grant %%s on %%s to %%s%%s', c.privilege_type, name,
                          case when c.grantee = 0 then 'public' else quote_ident(pg_get_userbyid(c.grantee)) end,
                          case when c.is_grantable then ' with grant option' else '' end);
                    end loop;
                    if pg_get_userbyid(v.relowner) <> current_user then
                      stmts := stmts || format('alter %%s %%s owner to %%I', what, name, pg_get_userbyid(v.relowner));
                    end if;
                    ddl := ddl || stmts;
                    keys := keys || array_fill(v.nspname || '.' || v.relname, array[cardinality(stmts)]);
                    names := names || array_fill(what || ' ' || name, array[cardinality(stmts)]);
                  end loop;
                  perform set_config('search_path', path, true);
                  perform set_config('sluice.dependents_ddl', ddl::text, true);
                  perform set_config('sluice.dependents_keys', keys::text, true);
                  perform set_config('sluice.dependents_names', names::text, true);
                end
                $sluice$""".formatted(stringLiteral(render(target))));
    }

    /** The same walk of pg_depend as {@link #saveDependentsSql}, for the names only. */
    @Override
    public java.util.Set<String> dependentViews(Session session, Relation target) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (java.util.Map<String, Object> row : session.query("""
                with recursive dep(oid) as (
                  select r.ev_class from pg_depend d join pg_rewrite r on r.oid = d.objid
                  where d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass
                    and d.refobjid = to_regclass(%s) and r.ev_class <> d.refobjid
                  union
                  select r.ev_class from dep
                  join pg_depend d on d.refobjid = dep.oid and d.classid = 'pg_rewrite'::regclass
                    and d.refclassid = 'pg_class'::regclass
                  join pg_rewrite r on r.oid = d.objid where r.ev_class <> dep.oid
                )
                select n.nspname || '.' || k.relname as name from dep
                join pg_class k on k.oid = dep.oid join pg_namespace n on n.oid = k.relnamespace""".formatted(stringLiteral(render(target))))) {
            out.add(String.valueOf(row.values().iterator().next()));
        }
        return out;
    }

    /**
     * Re-creates what {@link #saveDependentsSql} saved; a view the new relation does not suit fails the
     * transaction, unless the run builds that view again later: then it is left out (and what depends on it
     * with it), for that build to create, since the user may have changed both together.
     */
    @Override
    public Optional<String> restoreDependentsSql(Relation target, java.util.Collection<Relation> rebuiltLater) {
        String rebuilt = rebuiltLater.isEmpty() ? "'{}'::text[]" : "array[" + String.join(", ", rebuiltLater.stream()
                .map(r -> stringLiteral(r.schema() + "." + r.identifier())).toList()) + "]";
        return Optional.of("""
                do $sluice$
                declare
                  ddl text[] := coalesce(nullif(current_setting('sluice.dependents_ddl', true), ''), '{}')::text[];
                  keys text[] := coalesce(nullif(current_setting('sluice.dependents_keys', true), ''), '{}')::text[];
                  names text[] := coalesce(nullif(current_setting('sluice.dependents_names', true), ''), '{}')::text[];
                  rebuilt text[] := %s;
                  dropped text[] := '{}';
                begin
                  for i in 1 .. coalesce(array_length(ddl, 1), 0) loop
                    continue when keys[i] = any(dropped);
                    begin
                      execute ddl[i];
                    exception when others then
                      if keys[i] <> all(rebuilt) then
                        raise exception 'cannot replace %%: %% reads it and fails on the new version (%%); the old one is kept: change or drop that view first',
                            %s, names[i], sqlerrm;
                      end if;
                      dropped := dropped || keys[i];
                    end;
                  end loop;
                  perform set_config('sluice.dependents_ddl', '', true);
                  perform set_config('sluice.dependents_keys', '', true);
                  perform set_config('sluice.dependents_names', '', true);
                end
                $sluice$""".formatted(rebuilt, stringLiteral(target.schema() + "." + target.identifier())));
    }

    /**
     * PostgreSQL parses a statement completely before it looks up any table, and reports syntax errors with
     * their own SQLSTATE, so PREPARE tells a syntax error from a missing relation without running anything.
     */
    @Override
    public Optional<SqlSyntaxError> checkSyntax(Session session, String sql) {
        if (!(session.raw() instanceof JdbcSession js)) return Optional.empty();
        try (Statement st = js.connection().createStatement()) {
            SqlLog.sent(type(), "prepare sluice_syntax_check as " + sql);
            st.execute("prepare sluice_syntax_check as " + sql);
            SqlLog.sent(type(), "deallocate sluice_syntax_check");
            st.execute("deallocate sluice_syntax_check");
            return Optional.empty();
        } catch (SQLException e) {
            if (!"42601".equals(e.getSQLState())) return Optional.empty();
            int line = 0;
            int column = 0;
            if (e instanceof PSQLException pe && pe.getServerErrorMessage() != null) {
                int pos = pe.getServerErrorMessage().getPosition() - "prepare sluice_syntax_check as ".length();
                if (pos > 0 && pos <= sql.length()) {
                    String before = sql.substring(0, pos - 1);
                    line = (int) before.chars().filter(c -> c == '\n').count() + 1;
                    column = pos - before.lastIndexOf('\n') - 1;
                }
            }
            String msg = e.getMessage().lines().findFirst().orElse("syntax error");
            return Optional.of(new SqlSyntaxError(msg, line, column));
        }
    }

    /** PostgreSQL enforces all of dbt's constraint types, as dbt-postgres declares; its DDL is transactional. */
    @Override
    public ConstraintSupport constraintSupport(String type) {
        return ConstraintSupport.ENFORCED;
    }

    /** A default fills the existing rows (PostgreSQL keeps the value in its catalog, rewriting nothing); dropping it leaves a plain column. */
    @Override
    public Optional<List<String>> addConstantColumnSql(Relation r, String column, String type, String valueSql) {
        return Optional.of(List.of(addColumnSql(r, column, type) + " default " + valueSql,
                "alter table " + render(r) + " alter column " + quote(column) + " drop default"));
    }

    @Override
    public boolean transactionalDdl() {
        return true;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        // Connections are per session; nothing is held here.
    }
}

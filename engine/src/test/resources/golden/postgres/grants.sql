create table "warehouse"."analytics"."orders_summary__sluice_tmp" as (
select order_id, customer_id, status, amount, updated_at
from "warehouse"."analytics"."stg_orders"
);

-- one transaction of 5 statement(s):
do $sluice$
declare
  rel regclass := to_regclass('"warehouse"."analytics"."orders_summary"');
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
    name := format('%I.%I', v.nspname, v.relname);
    if exists (select from pg_trigger where tgrelid = v.oid)
        or exists (select from pg_rewrite where ev_class = v.oid and rulename <> '_RETURN') then
      raise exception 'cannot replace %: % % reads it and has triggers or rules, which the engine does not re-create', rel::text, what, name;
    end if;
    stmts := array[format('create %s %s%s as %s%s', what, name,
        case when v.reloptions is null then '' else ' with (' || array_to_string(v.reloptions, ', ') || ')' end,
        regexp_replace(pg_get_viewdef(v.oid), ';[[:space:]]*$', ''),
        case when v.relkind <> 'm' then '' when v.relispopulated then ' with data' else ' with no data' end)];
    for c in select pg_get_indexdef(indexrelid) as def from pg_index where indrelid = v.oid loop
      stmts := stmts || c.def;
    end loop;
    if obj_description(v.oid, 'pg_class') is not null then
      stmts := stmts || format('comment on %s %s is %L', what, name, obj_description(v.oid, 'pg_class'));
    end if;
    for c in select attname, col_description(v.oid, attnum) as text from pg_attribute
        where attrelid = v.oid and attnum > 0 and not attisdropped and col_description(v.oid, attnum) is not null loop
      stmts := stmts || format('comment on column %s.%I is %L', name, c.attname, c.text);
    end loop;
    for c in select a.privilege_type, a.grantee, a.is_grantable from aclexplode(v.relacl) a
        where a.grantee <> v.relowner loop
      stmts := stmts || format('grant %s on %s to %s%s', c.privilege_type, name,
          case when c.grantee = 0 then 'public' else quote_ident(pg_get_userbyid(c.grantee)) end,
          case when c.is_grantable then ' with grant option' else '' end);
    end loop;
    if pg_get_userbyid(v.relowner) <> current_user then
      stmts := stmts || format('alter %s %s owner to %I', what, name, pg_get_userbyid(v.relowner));
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
$sluice$;

alter table "warehouse"."analytics"."orders_summary" rename to "orders_summary__sluice_backup";

alter table "warehouse"."analytics"."orders_summary__sluice_tmp" rename to "orders_summary";

drop table if exists "warehouse"."analytics"."orders_summary__sluice_backup" cascade;

do $sluice$
declare
  ddl text[] := coalesce(nullif(current_setting('sluice.dependents_ddl', true), ''), '{}')::text[];
  keys text[] := coalesce(nullif(current_setting('sluice.dependents_keys', true), ''), '{}')::text[];
  names text[] := coalesce(nullif(current_setting('sluice.dependents_names', true), ''), '{}')::text[];
  rebuilt text[] := '{}'::text[];
  dropped text[] := '{}';
begin
  for i in 1 .. coalesce(array_length(ddl, 1), 0) loop
    continue when keys[i] = any(dropped);
    begin
      execute ddl[i];
    exception when others then
      if keys[i] <> all(rebuilt) then
        raise exception 'cannot replace %: % reads it and fails on the new version (%); the old one is kept: change or drop that view first',
            'analytics.orders_summary', names[i], sqlerrm;
      end if;
      dropped := dropped || keys[i];
    end;
  end loop;
  perform set_config('sluice.dependents_ddl', '', true);
  perform set_config('sluice.dependents_keys', '', true);
  perform set_config('sluice.dependents_names', '', true);
end
$sluice$;

-- reads the grants held: select grantee, privilege_type from information_schema.role_table_grants where grantor = current_role and grantee <> current_role and table_schema = 'analytics' and table_name = 'orders_summary';

grant select on "warehouse"."analytics"."orders_summary" to "reporter";

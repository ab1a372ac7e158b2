package dev.sluice.state;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.snowflake.SnowflakeAdapter;
import dev.sluice.project.Target;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** clone's statements on snowflake: zero-copy clones of tables. */
class SnowflakeCloneSqlTest {
    private static final Relation CI = new Relation("db", "ci", "orders");
    private static final Relation PROD = new Relation("db", "prod", "orders");

    @Test
    void snowflakeClonesTables() {
        Adapter a = new SnowflakeAdapter(new Target("p", "t", "snowflake", "db", "ci", 1,
                Map.of("account", "xy1", "user", "u", "password", "x"), null));
        assertEquals(List.of("create or replace table " + a.render(CI) + " clone " + a.render(PROD)),
                CloneSql.statements(a, CI, PROD, RelationKind.TABLE, Optional.empty()));
        // A view is not cloned: the target gets a view onto prod's view.
        assertEquals(List.of(a.createViewSql(CI, "select * from " + a.render(PROD))),
                CloneSql.statements(a, CI, PROD, RelationKind.VIEW, Optional.empty()));
    }
}

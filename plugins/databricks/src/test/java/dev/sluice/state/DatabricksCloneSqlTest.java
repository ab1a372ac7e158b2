package dev.sluice.state;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.databricks.DatabricksAdapter;
import dev.sluice.project.Target;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** clone's statements on databricks: zero-copy clones of tables. */
class DatabricksCloneSqlTest {
    private static final Relation CI = new Relation("db", "ci", "orders");
    private static final Relation PROD = new Relation("db", "prod", "orders");

    @Test
    void databricksShallowClones() {
        Adapter a = new DatabricksAdapter(new Target("p", "t", "databricks", "db", "ci", 1,
                Map.of("host", "h", "http_path", "/p", "token", "x"), null));
        assertEquals(List.of("create or replace table " + a.render(CI) + " shallow clone " + a.render(PROD)),
                CloneSql.statements(a, CI, PROD, RelationKind.TABLE, Optional.empty()));
    }
}

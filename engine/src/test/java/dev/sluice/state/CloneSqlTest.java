package dev.sluice.state;

import dev.sluice.adapter.Adapter;
import dev.sluice.adapter.PostgresAdapter;
import dev.sluice.adapter.Relation;
import dev.sluice.adapter.RelationKind;
import dev.sluice.project.Target;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** clone's statements per warehouse: zero-copy where there is one, a view onto the state otherwise. */
class CloneSqlTest {
    private static final Relation CI = new Relation("db", "ci", "orders");
    private static final Relation PROD = new Relation("db", "prod", "orders");

    @Test
    void postgresMakesAViewAndDropsWhatWasThereOnlyWhenAsked() {
        Adapter a = new PostgresAdapter(new Target("p", "t", "postgres", "db", "ci", 1,
                Map.of("host", "h", "user", "u", "dbname", "db", "password", "x"), null));
        String view = a.createViewSql(CI, "select * from " + a.render(PROD));
        // What was there goes, with the views on it saved first and re-created on the clone after.
        assertEquals(List.of(a.saveDependentsSql(CI).orElseThrow(), a.dropSql(CI, RelationKind.TABLE), view,
                a.restoreDependentsSql(CI, List.of()).orElseThrow()),
                CloneSql.statements(a, CI, PROD, RelationKind.TABLE, Optional.of(RelationKind.TABLE)));
        assertEquals(List.of(view), CloneSql.statements(a, CI, PROD, RelationKind.TABLE, Optional.empty()));
    }
}

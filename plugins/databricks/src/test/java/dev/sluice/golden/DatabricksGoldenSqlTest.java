package dev.sluice.golden;

import java.util.List;

/** The engine's golden-SQL scenarios on the databricks dialect, whose adapter this plugin provides. */
class DatabricksGoldenSqlTest extends GoldenSqlTest {
    @Override
    protected List<String> types() {
        return List.of("databricks");
    }
}

package dev.sluice.golden;

import java.util.List;

/** The engine's golden-SQL scenarios on the snowflake dialect, whose adapter this plugin provides. */
class SnowflakeGoldenSqlTest extends GoldenSqlTest {
    @Override
    protected List<String> types() {
        return List.of("snowflake");
    }
}

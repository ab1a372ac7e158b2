package dev.sluice.sparksql;

import dev.sluice.seed.ColumnType;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The DataFrame append's values: each declared type gets the Java value Spark's encoder takes for it, and a value
 * only a cast could interpret (the literal path's job) is reported as not fitting, so its batch goes as literals.
 */
class AppendValuesTest {
    private static final Object MISMATCH = SparkSqlSession.sparkValue(ColumnType.BIGINT, "12");

    @Test
    void typedValuesPassAsSparkTakesThem() {
        assertEquals(12L, SparkSqlSession.sparkValue(ColumnType.BIGINT, 12));
        assertEquals(2.5, SparkSqlSession.sparkValue(ColumnType.DOUBLE, new BigDecimal("2.5")));
        assertEquals(new BigDecimal("19.9900000000"), SparkSqlSession.sparkValue(ColumnType.DECIMAL, new BigDecimal("19.99")));
        // decimal(38, 10), rounded half up as the literal path's cast does
        assertEquals(new BigDecimal("0.1234567891"), SparkSqlSession.sparkValue(ColumnType.DECIMAL, new BigDecimal("0.12345678905")));
        assertEquals(new BigDecimal("7.0000000000"), SparkSqlSession.sparkValue(ColumnType.DECIMAL, 7L));
        assertEquals(java.sql.Date.valueOf("2024-02-29"), SparkSqlSession.sparkValue(ColumnType.DATE, LocalDate.of(2024, 2, 29)));
        LocalDateTime t = LocalDateTime.of(2024, 3, 31, 2, 30, 0, 123_456_000);
        assertEquals(t, SparkSqlSession.sparkValue(ColumnType.TIMESTAMP, t));
        assertEquals(true, SparkSqlSession.sparkValue(ColumnType.BOOLEAN, true));
        assertEquals("42", SparkSqlSession.sparkValue(ColumnType.TEXT, 42));
        assertNull(SparkSqlSession.sparkValue(ColumnType.DATE, null));
    }

    @Test
    void valuesOnlyACastCouldReadAreLeftToTheLiteralPath() {
        assertFalse(MISMATCH instanceof Long);
        assertSame(MISMATCH, SparkSqlSession.sparkValue(ColumnType.BIGINT, 1.5));
        assertSame(MISMATCH, SparkSqlSession.sparkValue(ColumnType.DOUBLE, "1e3"));
        assertSame(MISMATCH, SparkSqlSession.sparkValue(ColumnType.DATE, "2024-01-01"));
        assertSame(MISMATCH, SparkSqlSession.sparkValue(ColumnType.TIMESTAMP, LocalDate.of(2024, 1, 1)));
        assertSame(MISMATCH, SparkSqlSession.sparkValue(ColumnType.BOOLEAN, "true"));
    }

    @Test
    void columnTypesMatchTheLiteralPathsTypes() {
        assertEquals(DataTypes.createDecimalType(38, 10), SparkSqlSession.sparkType(ColumnType.DECIMAL));
        // Sent without a zone and cast to the session's timestamp in the INSERT, as a timestamp literal is.
        assertEquals(DataTypes.TimestampNTZType, SparkSqlSession.sparkType(ColumnType.TIMESTAMP));
        assertEquals(DataTypes.LongType, SparkSqlSession.sparkType(ColumnType.BIGINT));
    }

    /** The JSON text a Spark Connect append sends: what from_json reads back to the same values. */
    @Test
    void rowsAsJsonEscapeTextAndKeepNumbersExact() {
        StringBuilder out = new StringBuilder();
        SparkSqlSession.jsonRow(out, new Object[]{
                SparkSqlSession.sparkValue(ColumnType.BIGINT, 7),
                SparkSqlSession.sparkValue(ColumnType.TEXT, "a \"q\" \\ b\n\r\t\u0001\u00e9"),
                SparkSqlSession.sparkValue(ColumnType.DECIMAL, new BigDecimal("-1E-10")),
                SparkSqlSession.sparkValue(ColumnType.DOUBLE, Double.NaN),
                SparkSqlSession.sparkValue(ColumnType.DOUBLE, Double.NEGATIVE_INFINITY),
                SparkSqlSession.sparkValue(ColumnType.DOUBLE, 1e300),
                SparkSqlSession.sparkValue(ColumnType.DATE, LocalDate.of(2024, 2, 29)),
                SparkSqlSession.sparkValue(ColumnType.TIMESTAMP, LocalDateTime.of(2024, 3, 31, 2, 30, 0, 123_456_000)),
                SparkSqlSession.sparkValue(ColumnType.BOOLEAN, false),
                null});
        assertEquals("{\"c0\":7,\"c1\":\"a \\\"q\\\" \\\\ b\\n\\r\\t\\u0001\u00e9\",\"c2\":-0.0000000001,"
                + "\"c3\":\"NaN\",\"c4\":\"-Infinity\",\"c5\":1.0E300,\"c6\":\"2024-02-29\","
                + "\"c7\":\"2024-03-31T02:30:00.123456\",\"c8\":false,\"c9\":null}", out.toString());
        assertEquals("decimal(38,10)", SparkSqlSession.jsonFieldType(ColumnType.DECIMAL));
        // Dates and timestamps go as text and are cast in the INSERT, as literals would be.
        assertEquals("string", SparkSqlSession.jsonFieldType(ColumnType.TIMESTAMP));
    }

    @Test
    void aSelfRunClusterWithoutTokenIsReachedInClear() {
        ConnectEndpoint e = new ConnectEndpoint("127.0.0.1", 15002, false, null, Map.of());
        assertFalse(e.tls());
        assertEquals("sc://127.0.0.1:15002", e.describe());
        assertEquals("sc://127.0.0.1:15002 (TLS)", new ConnectEndpoint("127.0.0.1", 15002, true, null, Map.of()).describe());
    }
}

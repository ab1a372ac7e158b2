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
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        java.util.List<String> out = new java.util.ArrayList<>();
        SparkSqlSession.jsonTexts(java.util.List.<Object[]>of(new Object[]{
                SparkSqlSession.sparkValue(ColumnType.BIGINT, 7),
                SparkSqlSession.sparkValue(ColumnType.TEXT, "a \"q\" \\ b\n\r\t\u0001\u00e9"),
                SparkSqlSession.sparkValue(ColumnType.DECIMAL, new BigDecimal("-1E-10")),
                SparkSqlSession.sparkValue(ColumnType.DOUBLE, Double.NaN),
                SparkSqlSession.sparkValue(ColumnType.DOUBLE, Double.NEGATIVE_INFINITY),
                SparkSqlSession.sparkValue(ColumnType.DOUBLE, 1e300),
                SparkSqlSession.sparkValue(ColumnType.DATE, LocalDate.of(2024, 2, 29)),
                SparkSqlSession.sparkValue(ColumnType.TIMESTAMP, LocalDateTime.of(2024, 3, 31, 2, 30, 0, 123_456_000)),
                SparkSqlSession.sparkValue(ColumnType.BOOLEAN, false),
                null}), SparkSqlSession.JSON_CHARS, out::add);
        assertEquals(java.util.List.of("[{\"c0\":7,\"c1\":\"a \\\"q\\\" \\\\ b\\n\\r\\t\\u0001\u00e9\",\"c2\":-0.0000000001,"
                + "\"c3\":\"NaN\",\"c4\":\"-Infinity\",\"c5\":1.0E300,\"c6\":\"2024-02-29\","
                + "\"c7\":\"2024-03-31T02:30:00.123456\",\"c8\":false,\"c9\":null}]"), out);
        assertEquals("decimal(38,10)", SparkSqlSession.jsonFieldType(ColumnType.DECIMAL));
        // Dates and timestamps go as text and are cast in the INSERT, as literals would be.
        assertEquals("string", SparkSqlSession.jsonFieldType(ColumnType.TIMESTAMP));
    }

    /**
     * Edge values written and read back by a JSON parser (a second reader than the writer): exact decimals at the
     * type's scale with no exponent, doubles at their extremes, text beyond the BMP, line separators and control
     * characters, null; and a batch cut into arrays of about the given size that together hold every row once.
     */
    @Test
    void rowsAsJsonReadBackToTheSameValuesAcrossTexts() throws Exception {
        String[] texts = {"", "\u0000", "\u001f\u007f", "emoji \ud83d\ude00 and \u2028 \u2029", "\u00e9\u4e2d\u6587", "</script>", "'single'"};
        BigDecimal[] decimals = {new BigDecimal("12345678901234567890123456.7890123456"), new BigDecimal("-0.0000000001"), new BigDecimal("1E+20"), BigDecimal.ZERO};
        double[] doubles = {Double.MIN_VALUE, Double.MAX_VALUE, -0.0, 0.1 + 0.2, 1e-7};
        java.util.List<Object[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(new Object[]{
                    SparkSqlSession.sparkValue(ColumnType.BIGINT, i % 2 == 0 ? Long.MIN_VALUE + i : Long.MAX_VALUE - i),
                    SparkSqlSession.sparkValue(ColumnType.TEXT, texts[i % texts.length] + i),
                    SparkSqlSession.sparkValue(ColumnType.DECIMAL, decimals[i % decimals.length]),
                    SparkSqlSession.sparkValue(ColumnType.DOUBLE, doubles[i % doubles.length]),
                    SparkSqlSession.sparkValue(ColumnType.TIMESTAMP, LocalDateTime.of(1900 + i, 1 + i % 12, 1 + i % 28, i % 24, i % 60, i % 60, i * 1000)),
                    SparkSqlSession.sparkValue(ColumnType.DATE, LocalDate.of(1, 1, 1).plusDays(i * 1000L)),
                    i % 3 == 0 ? null : SparkSqlSession.sparkValue(ColumnType.BOOLEAN, i % 2 == 0)});
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        SparkSqlSession.jsonTexts(rows, 2_000, out::add);
        assertTrue(out.size() > 10, "cut into several texts: " + out.size());
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        java.util.List<com.fasterxml.jackson.databind.JsonNode> read = new java.util.ArrayList<>();
        java.util.List<com.fasterxml.jackson.databind.JsonNode> readAsDoubles = new java.util.ArrayList<>();
        for (String t : out) {
            // Each text is whole, and closed at the first row that reaches the size.
            assertTrue(t.length() < 2_000 + 400, t.length() + " characters");
            mapper.readTree(t).forEach(read::add);
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(t).forEach(readAsDoubles::add);
            // Decimals as written, in plain notation (from_json's decimal type reads no exponent).
            assertFalse(java.util.regex.Pattern.compile("\"c2\":-?[0-9.]*[eE]").matcher(t).find(), t);
        }
        assertEquals(rows.size(), read.size());
        for (int i = 0; i < rows.size(); i++) {
            Object[] row = rows.get(i);
            com.fasterxml.jackson.databind.JsonNode n = read.get(i);
            assertEquals((long) row[0], n.get("c0").longValue());
            assertEquals(row[1], n.get("c1").textValue());
            // The parser's tree drops trailing zeros: the value read equals, and the text has the scale as written.
            assertEquals(0, ((BigDecimal) row[2]).compareTo(n.get("c2").decimalValue()), "decimal " + i);
            assertTrue(String.join("", out).contains("\"c2\":" + ((BigDecimal) row[2]).toPlainString() + ","), "decimal " + i);
            assertEquals(Double.doubleToLongBits((double) row[3]), Double.doubleToLongBits(readAsDoubles.get(i).get("c3").doubleValue()), "double " + i);
            assertEquals(row[4].toString(), n.get("c4").textValue());
            assertEquals(((java.sql.Date) row[5]).toLocalDate().toString(), n.get("c5").textValue());
            if (row[6] == null) assertTrue(n.get("c6").isNull());
            else assertEquals(row[6], n.get("c6").booleanValue());
        }
    }

    @Test
    void aSelfRunClusterWithoutTokenIsReachedInClear() {
        ConnectEndpoint e = new ConnectEndpoint("127.0.0.1", 15002, false, null, Map.of());
        assertFalse(e.tls());
        assertEquals("sc://127.0.0.1:15002", e.describe());
        assertEquals("sc://127.0.0.1:15002 (TLS)", new ConnectEndpoint("127.0.0.1", 15002, true, null, Map.of()).describe());
    }
}

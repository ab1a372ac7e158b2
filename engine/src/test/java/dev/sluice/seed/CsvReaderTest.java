package dev.sluice.seed;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path write(String content) throws IOException {
        return writeBytes(content.getBytes(StandardCharsets.UTF_8));
    }

    private Path writeBytes(byte[] content) throws IOException {
        Path file = dir.resolve("seed.csv");
        Files.write(file, content);
        return file;
    }

    private CsvTable read(String content) throws IOException {
        return new CsvReader().read(write(content), Map.of());
    }

    /** Type of the single column "v" holding the given values, one per line. */
    private ColumnType typeOf(String... values) throws IOException {
        return read("v\n" + String.join("\n", values) + "\n").types().get(0);
    }

    private List<Object> column(CsvTable table, int index) {
        return table.rows().stream().map(r -> r.get(index)).toList();
    }

    private ConfigException failure(String content, Map<String, String> overrides) throws IOException {
        Path file = write(content);
        ConfigException e = assertThrows(ConfigException.class, () -> new CsvReader().read(file, overrides));
        assertEquals(file, e.location().orElseThrow().file());
        return e;
    }

    private int line(ConfigException e) {
        return e.location().map(SourceLocation::line).orElse(-1);
    }

    // ---- inference ----

    @Test
    void booleansAreCaseInsensitive() throws IOException {
        CsvTable t = read("flag\ntrue\nFALSE\nTrue\n");
        assertEquals(List.of(ColumnType.BOOLEAN), t.types());
        assertEquals(List.of(true, false, true), column(t, 0));
    }

    @Test
    void integersBecomeBigint() throws IOException {
        CsvTable t = read("n\n1\n-42\n0\n9223372036854775807\n");
        assertEquals(List.of(ColumnType.BIGINT), t.types());
        assertEquals(List.of(1L, -42L, 0L, Long.MAX_VALUE), column(t, 0));
    }

    @Test
    void leadingZerosOrPlusSignMakeText() throws IOException {
        assertEquals(ColumnType.TEXT, typeOf("007", "12"));
        assertEquals(ColumnType.TEXT, typeOf("+1", "2"));
        assertEquals(ColumnType.TEXT, typeOf("00.5", "1.5"));
        CsvTable t = read("zip\n007\n123\n");
        assertEquals(List.of("007", "123"), column(t, 0));
    }

    @Test
    void integersBeyondLongStayTextRatherThanLosingDigits() throws IOException {
        assertEquals(ColumnType.TEXT, typeOf("12345678901234567890", "1"));
    }

    @Test
    void decimalsKeepTheirExactValue() throws IOException {
        CsvTable t = read("price\n1.50\n-0.25\n3\n.5\n");
        assertEquals(List.of(ColumnType.DECIMAL), t.types());
        assertEquals(List.of(new BigDecimal("1.50"), new BigDecimal("-0.25"), new BigDecimal("3"),
                new BigDecimal("0.5")), column(t, 0));
    }

    @Test
    void eighteenSignificantDigitsIsStillDecimal() throws IOException {
        assertEquals(ColumnType.DECIMAL, typeOf("1234567890.12345678", "0.000000000000000001"));
    }

    @Test
    void moreThanEighteenDigitsOrAnExponentIsDouble() throws IOException {
        CsvTable t = read("x\n1234567890.123456789\n2.5\n");
        assertEquals(List.of(ColumnType.DOUBLE), t.types());
        assertEquals(List.of(1234567890.123456789, 2.5), column(t, 0));

        CsvTable e = read("x\n1.5e3\n2\n");
        assertEquals(List.of(ColumnType.DOUBLE), e.types());
        assertEquals(List.of(1500.0, 2.0), column(e, 0));
    }

    @Test
    void isoDatesBecomeDate() throws IOException {
        CsvTable t = read("d\n2024-01-31\n2024-02-29\n");
        assertEquals(List.of(ColumnType.DATE), t.types());
        assertEquals(List.of(LocalDate.of(2024, 1, 31), LocalDate.of(2024, 2, 29)), column(t, 0));
    }

    @Test
    void impossibleDatesAndOtherFormatsAreText() throws IOException {
        assertEquals(ColumnType.TEXT, typeOf("2023-02-29"));
        assertEquals(ColumnType.TEXT, typeOf("2023-1-5"));
        assertEquals(ColumnType.TEXT, typeOf("01/05/2023"));
    }

    @Test
    void timestampsWithSpaceOrTAndOptionalFraction() throws IOException {
        CsvTable t = read("ts\n2024-03-01 12:30:00\n2024-03-01T23:59:59.123456\n");
        assertEquals(List.of(ColumnType.TIMESTAMP), t.types());
        assertEquals(List.of(LocalDateTime.of(2024, 3, 1, 12, 30, 0),
                LocalDateTime.of(2024, 3, 1, 23, 59, 59, 123_456_000)), column(t, 0));
    }

    @Test
    void datesMixedWithTimestampsWidenToMidnight() throws IOException {
        CsvTable t = read("ts\n2024-03-01\n2024-03-02 08:00:00\n");
        assertEquals(List.of(ColumnType.TIMESTAMP), t.types());
        assertEquals(LocalDateTime.of(2024, 3, 1, 0, 0), t.rows().get(0).get(0));
    }

    @Test
    void timestampsWithOffsetsOrInvalidTimesAreText() throws IOException {
        assertEquals(ColumnType.TEXT, typeOf("2024-03-01T12:00:00Z"));
        assertEquals(ColumnType.TEXT, typeOf("2024-03-01 25:00:00"));
    }

    @Test
    void mixedValuesAreText() throws IOException {
        CsvTable t = read("m\n1\ntrue\n2024-01-01\n");
        assertEquals(List.of(ColumnType.TEXT), t.types());
        assertEquals(List.of("1", "true", "2024-01-01"), column(t, 0));
        assertEquals(ColumnType.TEXT, typeOf("NaN", "1.5"));
    }

    @Test
    void emptyFieldsAreNullAndDoNotAffectInference() throws IOException {
        CsvTable t = read("id,amount,note\n1,,\n,2.5,\"\"\n3,1.0,\n");
        assertEquals(List.of(ColumnType.BIGINT, ColumnType.DECIMAL, ColumnType.BIGINT), t.types());
        assertEquals(Arrays.asList(1L, null, 3L), column(t, 0));
        assertEquals(Arrays.asList(null, new BigDecimal("2.5"), new BigDecimal("1.0")), column(t, 1));
    }

    @Test
    void allNullColumnIsWholeNumberAsInDbt() throws IOException {
        CsvTable t = read("a,b\n1,\n2,\n");
        assertEquals(List.of(ColumnType.BIGINT, ColumnType.BIGINT), t.types());
        assertEquals(Arrays.asList(null, null), column(t, 1));
    }

    @Test
    void headerOnlyGivesWholeNumberColumnsAndNoRows() throws IOException {
        CsvTable t = read("a,b\n");
        assertEquals(List.of("a", "b"), t.columns());
        assertEquals(List.of(ColumnType.BIGINT, ColumnType.BIGINT), t.types());
        assertTrue(t.rows().isEmpty());
    }

    @Test
    void whitespaceIsKeptInValues() throws IOException {
        CsvTable t = read("v\n 1\n2\n");
        assertEquals(List.of(ColumnType.TEXT), t.types());
        assertEquals(List.of(" 1", "2"), column(t, 0));
    }

    // ---- syntax ----

    @Test
    void headerNamesAreTrimmed() throws IOException {
        assertEquals(List.of("id", "full name"), read(" id , full name \n1,x\n").columns());
    }

    @Test
    void quotedFieldsWithEscapesCommasAndNewlines() throws IOException {
        CsvTable t = read("id,text\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"line1\nline2\"\n4,x\"y\n");
        assertEquals(List.of(1L, 2L, 3L, 4L), column(t, 0));
        assertEquals(List.of("a, b", "say \"hi\"", "line1\nline2", "x\"y"), column(t, 1));
    }

    @Test
    void quotedNumbersAreStillInferred() throws IOException {
        CsvTable t = read("n\n\"1\"\n\"2\"\n");
        assertEquals(List.of(ColumnType.BIGINT), t.types());
    }

    @Test
    void crlfLineEndingsAndNoTrailingNewline() throws IOException {
        CsvTable t = read("a,b\r\n1,x\r\n2,\"multi\r\nline\"\r\n3,z");
        assertEquals(List.of("a", "b"), t.columns());
        assertEquals(List.of(1L, 2L, 3L), column(t, 0));
        assertEquals(List.of("x", "multi\r\nline", "z"), column(t, 1));
    }

    @Test
    void byteOrderMarkIsSkipped() throws IOException {
        byte[] body = "id,name\n1,é\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        CsvTable t = new CsvReader().read(writeBytes(withBom), Map.of());
        assertEquals(List.of("id", "name"), t.columns());
        assertEquals(List.of("é"), column(t, 1));
    }

    @Test
    void trailingBlankLinesAreIgnored() throws IOException {
        CsvTable t = read("a,b\n1,2\n\n\r\n\n");
        assertEquals(1, t.rows().size());
    }

    @Test
    void blankLineInSingleColumnSeedIsNull() throws IOException {
        CsvTable t = read("v\n1\n\n3\n\n");
        assertEquals(Arrays.asList(1L, null, 3L), column(t, 0));
    }

    @Test
    void largeSeedIsReadAcrossBufferBoundaries() throws IOException {
        StringBuilder sb = new StringBuilder("id,name,amount\n");
        for (int i = 0; i < 50_000; i++) sb.append(i).append(",\"name ").append(i).append("\",").append(i).append(".25\n");
        CsvTable t = read(sb.toString());
        assertEquals(50_000, t.rows().size());
        assertEquals(List.of(ColumnType.BIGINT, ColumnType.TEXT, ColumnType.DECIMAL), t.types());
        assertEquals(List.of(49_999L, "name 49999", new BigDecimal("49999.25")), t.rows().get(49_999));
    }

    // ---- overrides ----

    @Test
    void overriddenColumnsStayTextCaseInsensitively() throws IOException {
        Path file = write("Zip,Amount,day\n007,1.5,2024-01-01\n,2,2024-01-02\n");
        CsvTable t = new CsvReader().read(file, Map.of("zip", "varchar(10)", "AMOUNT", "double"));
        assertEquals(List.of(ColumnType.TEXT, ColumnType.TEXT, ColumnType.DATE), t.types());
        assertEquals(Arrays.asList("007", null), column(t, 0));
        assertEquals(List.of("1.5", "2"), column(t, 1));
    }

    @Test
    void overrideOfUnknownColumnIsAnError() throws IOException {
        ConfigException e = failure("a,b\n1,2\n", Map.of("c", "int"));
        assertTrue(e.getMessage().contains("'c'"), e.getMessage());
    }

    @Test
    void nullOverridesMeanNone() throws IOException {
        assertEquals(List.of(ColumnType.BIGINT), new CsvReader().read(write("a\n1\n"), null).types());
    }

    // ---- errors ----

    @Test
    void rowWithTooFewOrTooManyFields() throws IOException {
        ConfigException few = failure("a,b,c,d\n1,2,3,4\n1,2,3\n", Map.of());
        assertEquals("row has 3 fields but the header has 4", few.getMessage());
        assertEquals(3, line(few));

        ConfigException many = failure("a,b\n1,2\n1,2,3\n", Map.of());
        assertEquals("row has 3 fields but the header has 2", many.getMessage());
        assertEquals(3, line(many));
    }

    @Test
    void badRowLineCountsPhysicalLinesOfEarlierMultilineFields() throws IOException {
        ConfigException e = failure("a,b\r\n1,\"x\r\ny\nz\"\r\n2\r\n", Map.of());
        assertEquals(5, line(e));
    }

    @Test
    void unterminatedQuoteReportsTheLineWhereTheRecordStarts() throws IOException {
        ConfigException e = failure("a,b\n1,x\n2,\"open\nmore\nstill open\n", Map.of());
        assertTrue(e.getMessage().contains("unterminated"), e.getMessage());
        assertEquals(3, line(e));
    }

    @Test
    void textAfterClosingQuoteIsAnError() throws IOException {
        ConfigException e = failure("a\n\"x\"y\n", Map.of());
        assertEquals(2, line(e));
    }

    @Test
    void blankLineInsideMultiColumnDataIsAnError() throws IOException {
        ConfigException e = failure("a,b\n1,2\n\n3,4\n", Map.of());
        assertEquals(3, line(e));
    }

    @Test
    void emptyFileIsAnError() throws IOException {
        failure("", Map.of());
        assertThrows(ConfigException.class,
                () -> new CsvReader().read(writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}), Map.of()));
    }

    @Test
    void emptyHeaderNameIsAnError() throws IOException {
        ConfigException e = failure("a,,c\n1,2,3\n", Map.of());
        assertEquals(1, line(e));
        assertTrue(e.getMessage().contains("column 2"), e.getMessage());
    }

    @Test
    void duplicateHeaderNameIsAnErrorIgnoringCase() throws IOException {
        ConfigException e = failure("id,name,ID\n1,2,3\n", Map.of());
        assertEquals(1, line(e));
        assertTrue(e.getMessage().contains("duplicate"), e.getMessage());
    }

    @Test
    void missingFileIsAConfigError() {
        Path file = dir.resolve("missing.csv");
        ConfigException e = assertThrows(ConfigException.class, () -> new CsvReader().read(file, Map.of()));
        assertEquals(file, e.location().orElseThrow().file());
    }

    @Test
    void directoryIsUnreadable() {
        assertThrows(ConfigException.class, () -> new CsvReader().read(dir, Map.of()));
    }

    @Test
    void invalidUtf8ReportsItsLine() throws IOException {
        byte[] latin1 = "a,b\n1,x\n2,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        Path file = writeBytes(latin1);
        ConfigException e = assertThrows(ConfigException.class, () -> new CsvReader().read(file, Map.of()));
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
        assertEquals(3, line(e));
    }

    @Test
    void resultIsImmutable() throws IOException {
        CsvTable t = read("a\n1\n");
        assertThrows(UnsupportedOperationException.class, () -> t.rows().get(0).set(0, 2L));
        assertNull(read("a,b\n1,\n").rows().get(0).get(1));
    }

    @Test
    void columnsReadsOnlyTheHeaderWithQuotesAndBom(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("h.csv");
        java.nio.file.Files.writeString(f, "\uFEFFid,\"city, state\",amount\n1,\"Austin, TX\",2\nbroken row\n");
        assertEquals(List.of("id", "city, state", "amount"), new CsvReader().columns(f));
    }
}

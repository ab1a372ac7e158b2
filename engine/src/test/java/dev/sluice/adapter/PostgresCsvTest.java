package dev.sluice.adapter;

import dev.sluice.seed.ColumnType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PostgresCsvTest {
    private static String line(List<ColumnType> types, Object... values) {
        StringBuilder sb = new StringBuilder();
        PostgresSession.csvLine(sb, Arrays.asList(values), types);
        return sb.toString();
    }

    @Test
    void nullIsAnUnquotedEmptyFieldAndEmptyTextIsQuoted() {
        List<ColumnType> t = List.of(ColumnType.TEXT, ColumnType.TEXT, ColumnType.BIGINT);
        assertEquals(",\"\",\n", line(t, null, "", null));
    }

    @Test
    void textIsQuotedWithDoubledQuotes() {
        List<ColumnType> t = List.of(ColumnType.TEXT);
        assertEquals("\"say \"\"hi\"\", then, leave\nnow\"\n", line(t, "say \"hi\", then, leave\nnow"));
        // A lone backslash-dot would end COPY in text format; quoted CSV keeps it as data.
        assertEquals("\"\\.\"\n", line(t, "\\."));
    }

    @Test
    void valuesUseServerInputForms() {
        List<ColumnType> t = List.of(ColumnType.BIGINT, ColumnType.DOUBLE, ColumnType.DECIMAL, ColumnType.BOOLEAN,
                ColumnType.DATE, ColumnType.TIMESTAMP);
        assertEquals("42,0.5,100000000000000000000.10,true,2024-02-29,2024-02-29 01:02:03.000004\n",
                line(t, 42, 0.5, new BigDecimal("1.0000000000000000000010E20"), true, LocalDate.of(2024, 2, 29),
                        LocalDateTime.of(2024, 2, 29, 1, 2, 3, 4_000)));
    }
}

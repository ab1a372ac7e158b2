package dev.sluice.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SqlNormalizerTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "select 1;", "select 1 ;\n-- end\n", "select d + interval '90 days' from t",
            "select datediff('day', a, b), date_diff('month', a, b) from t",
            "select ';' from t where x = 'interval ''9 days'''", "select 1 /* ; */ ;;",
    })
    void keepsLengthAndLineBreaks(String sql) {
        String normalized = SqlNormalizer.normalize(sql);
        assertEquals(sql.length(), normalized.length());
        for (int i = 0; i < sql.length(); i++) {
            assertEquals(sql.charAt(i) == '\n', normalized.charAt(i) == '\n', "offset " + i);
        }
    }

    @Test
    void blanksOnlyTrailingSemicolons() {
        assertEquals("select 1 ; select 2 ", SqlNormalizer.normalize("select 1 ; select 2;"));
        assertEquals("select ';'  -- x;", SqlNormalizer.normalize("select ';'; -- x;"));
    }

    @Test
    void movesIntervalUnitOutOfTheString() {
        assertEquals("select interval '90' days, interval  '1'  month", SqlNormalizer.normalize(
                "select interval '90 days', interval  ' 1 month'"));
        // Units Calcite has no keyword for, and strings that merely contain "interval", stay as written.
        assertEquals("select interval '3 mons'", SqlNormalizer.normalize("select interval '3 mons'"));
        assertEquals("select 'interval' || '9 days'", SqlNormalizer.normalize("select 'interval' || '9 days'"));
    }

    @Test
    void unquotesDateDiffUnits() {
        assertEquals("select datediff( day , a, b), datediff ( month , a, b)",
                SqlNormalizer.normalize("select datediff('day', a, b), date_diff('month', a, b)"));
        assertEquals("select date_diff(a, b, day)", SqlNormalizer.normalize("select date_diff(a, b, day)"));
    }

    @Test
    void quotesKeywordColumnsButNotTypesOrLiterals() {
        assertEquals("select \"date\", t.\"timestamp\", x::date, cast(y as date), date '2024-01-01', "
                        + "z as \"date\" from t",
                SqlNormalizer.quoteKeywordIdentifiers("select date, t.timestamp, x::date, cast(y as date), "
                        + "date '2024-01-01', z as date from t"));
        assertEquals("select x::timestamp with time zone", SqlNormalizer.quoteKeywordIdentifiers(
                "select x::timestamp with time zone"));
    }
}

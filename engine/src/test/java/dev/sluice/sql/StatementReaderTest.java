package dev.sluice.sql;

import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StatementReaderTest {

    @Test
    void readsTheTextThenThrowsOneStacklessExceptionAtEveryLookPastTheEnd() throws IOException {
        StatementReader reader = new StatementReader("select 1");
        char[] buffer = new char[5];
        assertEquals(0, reader.read(buffer, 0, 0));
        assertEquals(5, reader.read(buffer, 0, 5));
        assertEquals("selec", new String(buffer));
        assertEquals(3, reader.read(buffer, 1, 4));
        assertEquals("st 1c", new String(buffer));
        IOException first = assertThrows(IOException.class, () -> reader.read(buffer, 0, 5));
        assertEquals(0, first.getStackTrace().length);
        // Past the end even an empty request throws, as a closed StringReader does.
        assertSame(first, assertThrows(IOException.class, () -> reader.read(buffer, 0, 0)));
        assertSame(first, assertThrows(IOException.class, () -> reader.read(buffer, 0, 5)));
    }

    /** Calcite's parser gives the same tree, or the same error at the same place, from either reader. */
    @Test
    void calcitesParserSeesTheSameStatementAsFromAStringReader() {
        for (String sql : List.of("select a, b from t where c = 'x'", "select a from t -- trailing comment",
                "with x as (select 1 as n) select n from x order by n", "select a from", "select 'unterminated",
                "select a from t /* open comment", "select \"unterminated", "select (", "", "select a from t;",
                "select a from t where b >> 3", "select " + "x, ".repeat(3000) + "y from t")) {
            assertEquals(outcome(new StringReader(sql)), outcome(new StatementReader(sql)), sql);
        }
    }

    private static String outcome(Reader reader) {
        SqlParser.Config config = SqlParser.config().withParserFactory(SqlBabelParserImpl.FACTORY)
                .withConformance(SqlConformanceEnum.BABEL);
        try {
            return SqlParser.create(reader, config).parseQuery().toString();
        } catch (SqlParseException e) {
            return "error at " + e.getPos() + ": " + e.getMessage();
        }
    }
}

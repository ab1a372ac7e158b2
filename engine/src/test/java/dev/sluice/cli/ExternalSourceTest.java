package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sources declared with external: (a Parquet or CSV file) are loaded into their table before the first node that
 * reads them, on DuckDB and on PostgreSQL alike, and loaded again when the file's content changes, even with as
 * many rows, so what reads them is rebuilt. The expected figures come from the rows the test wrote to the files.
 */
class ExternalSourceTest extends ProjectTest {
    private static final String SOURCES = """
            version: 2
            sources:
              - name: files
                schema: "{{ target.schema }}_files"
                tables:
                  - name: prices
                    external: {location: data/prices.parquet, file_format: parquet}
                    columns:
                      - {name: sku, data_type: integer}
                      - {name: price, data_type: 'decimal(10, 2)'}
                      - {name: valid_from, data_type: date}
                  - name: labels
                    external: {location: data/labels.csv}
            """;

    /** Writes the two files with DuckDB in memory: n skus priced at sku * factor, and a label per sku. */
    private static void files(CliHarness p, int n, int factor) throws Exception {
        Path dir = p.dir.resolve("data");
        java.nio.file.Files.createDirectories(dir);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("copy (select i as sku, cast(i * " + factor + " / 100.0 as decimal(10, 2)) as price, date '2025-01-01' + cast(i as integer) as valid_from "
                    + "from range(1, " + (n + 1) + ") t(i)) to '" + dir.resolve("prices.parquet") + "' (format parquet)");
            st.execute("copy (select i as sku, 'label ' || i as label from range(1, " + (n + 1) + ") t(i)) to '"
                    + dir.resolve("labels.csv") + "' (header, delimiter ',')");
        }
    }

    private CliHarness project() throws Exception {
        CliHarness p = copy("shop");
        p.write("models/files.yml", SOURCES);
        p.write("models/priced.sql", "select p.sku, p.price, p.valid_from, l.label\nfrom {{ source('files', 'prices') }} p\n"
                + "join {{ source('files', 'labels') }} l on l.sku = p.sku\n");
        return p;
    }

    @Test
    void filesAreLoadedAndReloadedWhenTheyChange() throws Exception {
        CliHarness p = project();
        files(p, 500, 250);
        CliHarness.Result r = p.run("run", "--select", "priced");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("External source files.prices: loaded 500 rows of data/prices.parquet into main_files.prices"), r.out());
        assertTrue(r.out().contains("External source files.labels: loaded 500 rows of data/labels.csv"), r.out());
        assertEquals(500L, p.count("main.priced"));
        // sum(sku * 2.5) for sku 1..500 = 2.5 * 500 * 501 / 2
        assertEquals(0, new BigDecimal("313125.00").compareTo((BigDecimal) p.scalar("select sum(price) from main.priced")));
        Map<String, Object> one = p.query("select * from main.priced where sku = 7").get(0);
        assertEquals("2025-01-08", one.get("valid_from").toString());
        assertEquals("label 7", one.get("label"));
        assertEquals("DATE", p.dataType("prices", "valid_from"));

        // Same files: not loaded again, and the model is unchanged.
        r = p.run("run", "--select", "priced");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(!r.out().contains("External source"), r.out());
        assertTrue(r.out().contains("SKIP (unchanged)"), r.out());

        // New prices, as many rows: loaded again and the model rebuilt.
        files(p, 500, 300);
        r = p.run("run", "--select", "priced");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("External source files.prices: loaded 500 rows"), r.out());
        assertEquals(0, new BigDecimal("375750.00").compareTo((BigDecimal) p.scalar("select sum(price) from main.priced")));
        List<Map<String, Object>> ledger = p.query("select source_id, row_count from main.sluice_external_loads order by loaded_at");
        assertEquals(3, ledger.size(), ledger.toString());
    }

    @Test
    void missingFileFailsItsReaderNamingTheSource() throws Exception {
        CliHarness p = project();
        CliHarness.Result r = p.run("run", "--select", "priced");
        assertEquals(1, r.exitCode(), r.all());
        assertTrue(r.out().contains("models/files.yml:7"), r.out());
        assertTrue(r.out().contains("external source files.prices: file data/prices.parquet does not exist"), r.out());
    }

    @Test
    void unknownFormatIsBadInputWithTheLine() {
        CliHarness p = copy("shop");
        p.write("models/files.yml", SOURCES.replace("file_format: parquet", "file_format: xlsx"));
        CliHarness.Result r = p.run("ls");
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.err().contains("models/files.yml:7"), r.err());
        assertTrue(r.err().contains("file_format of source 'files.prices' must be one of [parquet, csv], not 'xlsx'"), r.err());
    }
}

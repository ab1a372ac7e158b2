package dev.sluice.activation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class FileExportTest {
    @TempDir
    Path dir;

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static ExportRows sample() {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(Arrays.asList(1L, "  Test@Example.COM ", "(555) 123-4567", new BigDecimal("12.50"), LocalDate.of(2024, 3, 1),
                LocalDateTime.of(2024, 3, 1, 10, 30), true, "plain"));
        rows.add(Arrays.asList(2L, null, "+44 20 7946 0958", new BigDecimal("3.125"), null, null, false, "has, \"quotes\"\nand a line"));
        return ExportRows.of(List.of("customer_id", "email", "phone", "spend", "first_order", "seen_at", "active", "note"), rows)
                .hashed(List.of("email", "phone"));
    }

    @Test
    void normalizesAndHashesLikeAdPlatforms() throws Exception {
        String vector = sha256("test@example.com");
        assertEquals("973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b", vector);
        assertEquals(vector, Hashing.hashIdentifier("email", "  Test@Example.COM "));
        assertEquals("15551234567", Hashing.normalizePhone("(555) 123-4567"));
        assertEquals("15551234567", Hashing.normalizePhone("+1 555.123.4567"));
        assertEquals("442079460958", Hashing.normalizePhone("+44 20 7946 0958"));
        assertEquals(sha256("15551234567"), Hashing.hashIdentifier("mobile_phone", "555-123-4567"));
        assertNull(Hashing.hashIdentifier("email", "   "));
        assertNull(Hashing.hashIdentifier("phone", null));
    }

    @Test
    void csvHasAHeaderQuotedFieldsAndHashedColumns() throws Exception {
        Path f = dir.resolve("out/a.csv");
        ExportFormat.CSV.write(sample(), f);
        String csv = Files.readString(f);
        assertEquals("customer_id,email_sha256,phone_sha256,spend,first_order,seen_at,active,note\r\n"
                + "1," + sha256("test@example.com") + "," + sha256("15551234567") + ",12.50,2024-03-01,2024-03-01T10:30,true,plain\r\n"
                + "2,," + sha256("442079460958") + ",3.125,,,false,\"has, \"\"quotes\"\"\nand a line\"\r\n", csv);
        try (var tmp = Files.list(f.getParent())) {
            assertEquals(List.of(f), tmp.toList(), "no temporary file left behind");
        }
    }

    @Test
    void jsonLinesHaveOneObjectPerRow() throws Exception {
        Path f = dir.resolve("a.jsonl");
        ExportFormat.JSONL.write(sample(), f);
        List<String> lines = Files.readAllLines(f);
        assertEquals(2, lines.size());
        assertEquals("{\"customer_id\":1,\"email_sha256\":\"" + sha256("test@example.com") + "\",\"phone_sha256\":\""
                + sha256("15551234567") + "\",\"spend\":12.50,\"first_order\":\"2024-03-01\",\"seen_at\":\"2024-03-01T10:30\","
                + "\"active\":true,\"note\":\"plain\"}", lines.get(0));
        assertFalse(lines.get(1).contains("Example"));
    }

    @Test
    void parquetKeepsTypesAndValues() throws Exception {
        Path f = dir.resolve("a.parquet");
        ExportFormat.PARQUET.write(sample(), f);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("select column_name, column_type from (describe select * from read_parquet('" + f + "'))")) {
                Map<String, String> types = new java.util.LinkedHashMap<>();
                while (rs.next()) types.put(rs.getString(1), rs.getString(2));
                assertEquals(Map.of("customer_id", "BIGINT", "email_sha256", "VARCHAR", "phone_sha256", "VARCHAR",
                        "spend", "DECIMAL(38,3)", "first_order", "DATE", "seen_at", "TIMESTAMP", "active", "BOOLEAN",
                        "note", "VARCHAR"), types);
            }
            try (ResultSet rs = st.executeQuery("select * from read_parquet('" + f + "') order by customer_id")) {
                rs.next();
                assertEquals(1L, rs.getLong("customer_id"));
                assertEquals(sha256("test@example.com"), rs.getString("email_sha256"));
                assertEquals(0, new BigDecimal("12.5").compareTo(rs.getBigDecimal("spend")));
                assertEquals(LocalDate.of(2024, 3, 1), rs.getObject("first_order", LocalDate.class));
                rs.next();
                assertNull(rs.getString("email_sha256"));
                assertEquals("has, \"quotes\"\nand a line", rs.getString("note"));
            }
        }
    }

    @Test
    void changeFilesHaveAnActionColumnAndRemovesCarryOnlyTheId() throws Exception {
        ExportRows rows = ExportRows.of(List.of("customer_id", "name"),
                List.of(List.of(1L, "Ada"), List.of(3L, "Grace"), List.of(4L, "Edsger")));
        Map<String, String> state = Map.of("1", rows.payloadHash(0), "2", "old", "3", "old");
        List<Change> changes = ChangeSet.diff(rows, "customer_id", state);
        Path f = dir.resolve("a.changes.csv");
        ExportFormat.CSV.write(ExportFileOperator.changeRows(rows, "customer_id", changes), f);
        assertEquals("action,customer_id,name\r\nremove,2,\r\nupdate,3,Grace\r\nadd,4,Edsger\r\n", Files.readString(f));
    }
}

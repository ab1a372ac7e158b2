package dev.sluice.cli;

import dev.sluice.activation.Hashing;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 003's PII guidance on the sample project: the columns tagged pii leave silver hashed or masked, so no gold
 * or activation table and no export file holds a clear e-mail address or phone number, unless the target is
 * allowed clear values. The scan here is independent of the project's own tests: it reads every text cell and
 * every export line, and looks for the clear silver e-mails and phone digits themselves as well as their shapes.
 */
class RetailPiiTest extends ProjectTest {
    private static final String SIZE = "{customers: 200, months: 6}";
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\\.[A-Za-z]{2,}");
    /** A whole value that is a North American phone number in any of the sources' formats. */
    private static final Pattern PHONE = Pattern.compile("\\+?(1[ .-]?)?\\(?[0-9]{3}\\)?[ .-]*[0-9]{3}[ .-]*[0-9]{4}");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+\\.[0-9]+");

    private CliHarness retail() {
        return CliHarness.copyOf(Path.of("..", "project").toAbsolutePath().normalize(), "retail", tmp, warehouse());
    }

    @Test
    void noClearPiiInGoldTablesOrExportsByDefault() throws Exception {
        CliHarness p = retail();
        CliHarness.Result r = p.run("build", "--vars", SIZE);
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.out().contains("PASS no_clear_pii_in_gold"), r.out());
        // The scan found the tables and their text columns itself (from the graph and the warehouse).
        String scan = p.run("compile", "-s", "no_clear_pii_in_gold", "--vars", SIZE).out();
        assertTrue(scan.contains("'main_gold.customer_360_profile.email' as column_with_clear_pii")
                && scan.contains("'main_activation.vip_early_access.email' as column_with_clear_pii"), scan);

        Set<String> clearEmails = new HashSet<>();
        Set<String> clearPhones = new HashSet<>();
        for (Map<String, Object> c : p.query("select email, phone_digits from main_silver.slv_customers_clean")) {
            if (c.get("email") != null) clearEmails.add(c.get("email").toString());
            if (c.get("phone_digits") != null) clearPhones.add(c.get("phone_digits").toString());
        }
        assertTrue(clearEmails.size() > 150 && clearPhones.size() > 150, "silver keeps the clear values to unify on");

        List<String> cells = new ArrayList<>();
        for (Map<String, Object> t : p.query("select table_schema, table_name, column_name from information_schema.columns "
                + "where table_schema in ('main_gold', 'main_activation') and data_type in ('VARCHAR', 'text', 'character varying')")) {
            String rel = t.get("table_schema") + "." + t.get("table_name");
            for (Map<String, Object> v : p.query("select \"" + t.get("column_name") + "\" as v from " + rel)) {
                if (v.get("v") != null) cells.add(rel + "." + t.get("column_name") + "=" + v.get("v"));
            }
        }
        assertTrue(cells.size() > 1000, "the scan saw the gold tables: " + cells.size());
        List<Path> exports;
        try (Stream<Path> files = Files.list(p.dir.resolve("target/exports"))) {
            exports = files.toList();
        }
        assertEquals(4, exports.size(), exports.toString());
        for (Path f : exports) {
            if (f.toString().endsWith(".parquet")) {
                for (Map<String, Object> row : p.query("select * from read_parquet('" + f + "')")) cells.add(f.getFileName() + "=" + row);
            } else {
                for (String line : Files.readAllLines(f)) cells.add(f.getFileName() + "=" + line);
            }
        }
        for (String cell : cells) {
            String value = cell.substring(cell.indexOf('=') + 1);
            assertFalse(EMAIL.matcher(value).find(), "clear e-mail in " + cell);
            for (String field : value.split("[\",{}:=]")) {
                String f = field.strip();
                assertFalse(PHONE.matcher(f).matches() && !DECIMAL.matcher(f).matches(), "clear phone in " + cell);
            }
            for (String token : value.split("[^A-Za-z0-9@._%+-]+")) {
                assertFalse(clearEmails.contains(token) || clearPhones.contains(token), "clear silver value in " + cell);
            }
        }

        // The hash is the one ad platforms match: gold's e-mail is SHA-256 of silver's normalized address, and the
        // hashed ads export carries the same value.
        Map<String, Object> one = p.query("select s.customer_id, s.email, g.email as hashed from main_silver.slv_customers s "
                + "join main_gold.customer_360_profile g on g.customer_id = s.customer_id where s.email is not null "
                + "order by s.customer_id limit 1").get(0);
        assertEquals(Hashing.sha256Hex(one.get("email").toString()), one.get("hashed"));
        String ads = Files.readString(p.dir.resolve("target/exports/winback_at_risk_high_value.csv"));
        Set<String> goldHashes = new HashSet<>();
        p.query("select email from main_gold.customer_360_profile").forEach(m -> goldHashes.add(String.valueOf(m.get("email"))));
        String firstHash = ads.lines().skip(1).findFirst().orElseThrow().split(",")[1];
        assertTrue(goldHashes.contains(firstHash), "the export hash matches gold's: " + firstHash);
    }

    @Test
    void aGoldTableWithClearContactsFailsTheCheck() {
        CliHarness p = retail();
        // A gold model that leaks the sources' e-mails and phones as they came: every format, padding and mess.
        p.write("models/gold/leaked_contacts.sql", "select customer_id, email as contact from {{ ref('brz_customers') }}\n"
                + "union all select customer_id, phone from {{ ref('brz_customers') }}\n"
                + "union all select 0, v from (values ('a@b'), ('x@y.Z'), ('@b.c'), ('(555) 123-4567'), ('+1 555.123.4567'), "
                + "('1-555-1234567'), ('5551234567 '), ('555123456'), ('x5551234567'), ('+(555)1234567')) t(v)\n");
        assertEquals(0, p.run("seed").exitCode());
        CliHarness.Result r = p.run("run", "--vars", SIZE, "--exclude", "tag:ml+");
        assertEquals(0, r.exitCode(), r.all());
        r = p.run("test", "--vars", SIZE, "--select", "no_clear_pii_in_gold");
        assertEquals(1, r.exitCode(), r.all());
        // The failing rows are the values that match the check's patterns, counted here with Java's regexes.
        Pattern email = Pattern.compile("@[a-z0-9-]+[.][a-z]");
        // \z: the warehouse's $ is the end of the text, where Java's also matches before a final line break.
        Pattern phone = Pattern.compile("^[+]?(1[ .-]?)?[(]?[0-9]{3}[)]?[ .-]*[0-9]{3}[ .-]*[0-9]{4}\\z");
        long clear = p.query("select contact from main_gold.leaked_contacts where contact is not null").stream()
                .map(m -> m.get("contact").toString())
                .filter(v -> email.matcher(v).find() || phone.matcher(v).find()).count();
        assertTrue(clear > 300, "the leak holds clear values: " + clear);
        assertTrue(r.out().contains("FAIL " + clear + " no_clear_pii_in_gold"), clear + "\n" + r.out());
    }

    @Test
    void aTargetAllowedClearValuesGetsThem() {
        CliHarness p = retail();
        CliHarness.Result r = p.run("build", "--vars", "{customers: 200, months: 6, pii_clear_targets: [dev]}",
                "--exclude", "tag:ml+");
        assertEquals(0, r.exitCode(), r.all());
        long clear = ((Number) p.scalar("select count(*) from main_gold.customer_360_profile where email like '%@%'")).longValue();
        assertTrue(clear > 150, "clear e-mails on an allowed target: " + clear);
    }
}

package dev.sluice.activation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The export operators in a project, run through the CLI twice with a change to the seed in between. */
@Timeout(120)
class ActivationCliTest {
    private static final String SECRET = "tok-e2e-secret-42";
    @TempDir
    Path tmp;
    private Path project;
    private final Receiver receiver = new Receiver();

    @BeforeEach
    void copyShop() throws Exception {
        Path src = Path.of(getClass().getResource("/projects/shop").toURI());
        project = tmp.resolve("shop");
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : walk.toList()) {
                Path t = project.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(project.resolve("profiles.yml"), "shop:\n  target: dev\n  outputs:\n    dev:\n"
                + "      type: duckdb\n      path: warehouse.duckdb\n      schema: main\n      threads: 2\n");
        String input = "\"select customer_id, lower(first_name) || '@Example.com' as email, number_of_orders"
                + " from {{ ref('customers') }} order by customer_id\"";
        Files.writeString(project.resolve("models/marts/activation.yml"), """
                version: 2

                operators:
                  - name: audience_file
                    type: export_file
                    sql: %1$s
                    config:
                      path: audiences/customers.csv
                      hash_columns: [email]
                      incremental: true
                      id_column: customer_id
                    outputs: [audience_file_state]

                  - name: audience_parquet
                    type: export_file
                    sql: %1$s
                    config:
                      path: audiences/customers.parquet

                  - name: audience_webhook
                    type: export_webhook
                    sql: %1$s
                    config:
                      url: "%2$s"
                      headers:
                        Authorization: "Bearer {{ env_var('SLUICE_TEST_UNSET_TOKEN_FOR_EXPORTS', '%3$s') }}"
                      batch_size: 2
                      backoff_ms: 5
                      hash_columns: [email]
                      incremental: true
                      id_column: customer_id
                    outputs: [audience_webhook_state]

                  - name: disabled_webhook
                    type: export_webhook
                    sql: %1$s
                    config:
                      url: "{{ env_var('SLUICE_TEST_UNSET_WEBHOOK_URL', '') }}"
                """.formatted(input, receiver.url(), SECRET));
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private String build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            code = Main.run(new String[]{"build", "--project-dir", project.toString(), "--profiles-dir", project.toString()}, o, o);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(Main.OK, code, text);
        return text;
    }

    private List<String> ids(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + project.resolve("warehouse.duckdb"));
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        }
    }

    @Test
    void buildsExportFilesAndSendsOnlyChangesOnTheSecondBuild() throws Exception {
        // The second request fails once: the batch is retried within the build.
        receiver.failOn(2, Receiver.Fault.FAIL_500);
        String first = build();
        Path exports = project.resolve("target/exports/audiences");
        List<String> csv = Files.readAllLines(exports.resolve("customers.csv"));
        assertEquals("customer_id,email_sha256,number_of_orders", csv.get(0));
        assertEquals("1," + Hashing.sha256Hex("ada@example.com") + ",3", csv.get(1));
        assertEquals(7, csv.size());
        assertEquals(7, Files.readAllLines(exports.resolve("customers.changes.csv")).size(), "all six are adds at first");
        assertEquals(Set.of("1", "2", "3", "4", "5", "6"), receiver.members());
        assertEquals(4, receiver.requests().size(), "3 batches of 2, one retried");
        assertTrue(first.contains("SKIP (url is empty)"), first);
        assertEquals(List.of("6"), ids("select count(*) from read_parquet('" + exports.resolve("customers.parquet") + "')"));

        // Grace changes her name (so her e-mail), Donald leaves, Ken joins.
        Path seed = project.resolve("seeds/raw_customers.csv");
        String changed = Files.readString(seed).replace("3,Grace,", "3,Gracie,").replace("6,Donald,Knuth,2023-04-02\n", "")
                + "7,Ken,Thompson,2023-05-01\n";
        Files.writeString(seed, changed);
        String second = build();

        assertEquals("action,customer_id,email_sha256,number_of_orders\r\n"
                        + "update,3," + Hashing.sha256Hex("gracie@example.com") + ",2\r\n"
                        + "remove,6,,\r\n"
                        + "add,7," + Hashing.sha256Hex("ken@example.com") + ",0\r\n",
                Files.readString(exports.resolve("customers.changes.csv")));
        assertEquals(List.of("1", "2", "3", "4", "5", "7"),
                ids("select id from audience_file_state order by cast(id as int)"));
        List<Receiver.Request> reqs = receiver.requests();
        assertEquals(6, reqs.size(), "the 3 changes in 2 batches");
        List<JsonNode> changes = receiver.changes();
        assertEquals(List.of("update 3", "remove 6", "add 7"), changes.subList(6, 9).stream()
                .map(c -> c.get("action").asText() + " " + c.get("id").asText()).toList());
        assertEquals(Set.of("1", "2", "3", "4", "5", "7"), receiver.members());
        assertEquals(List.of(), receiver.duplicateKeys());
        assertEquals(List.of("1", "2", "3", "4", "5", "7"),
                ids("select id from audience_webhook_state order by cast(id as int)"));

        // The activation log: each export of each build, with the audience and the changes the files and requests above hold.
        assertEquals(List.of(
                        "audience_file file audiences/customers.csv success 6 6 0 0",
                        "audience_parquet file audiences/customers.parquet success 6 null null null",
                        "audience_webhook webhook 127.0.0.1 success 6 6 0 0",
                        "disabled_webhook webhook  skipped 0 null null null",
                        "audience_file file audiences/customers.csv success 6 1 1 1",
                        "audience_parquet file audiences/customers.parquet success 6 null null null",
                        "audience_webhook webhook 127.0.0.1 success 6 1 1 1",
                        "disabled_webhook webhook  skipped 0 null null null"),
                ids("select concat_ws(' ', operator, kind, replace(destination, 'target/exports/', ''), status, audience, coalesce(cast(adds as varchar), 'null'), "
                        + "coalesce(cast(updates as varchar), 'null'), coalesce(cast(removes as varchar), 'null')) "
                        + "from main.sluice_activation_log order by run_started_at, operator"));
        assertEquals(List.of("2"), ids("select count(distinct run_started_at) from main.sluice_activation_log"), "one stamp per build");

        // The token went to the receiver and nowhere else.
        reqs.forEach(r -> assertEquals("Bearer " + SECRET, r.header("Authorization")));
        for (String out : List.of(first, second, read("target/manifest.json"), read("target/run_results.json"),
                String.join("\n", ids("select message || destination from main.sluice_activation_log")))) {
            assertFalse(out.contains(SECRET), out);
        }
    }

    @Test
    void aFailedDeliveryIsInTheActivationLogAndTheNodeFails() throws Exception {
        Files.writeString(project.resolve("models/marts/activation.yml"), """
                version: 2
                operators:
                  - name: unreachable_webhook
                    type: export_webhook
                    sql: "select customer_id from {{ ref('customers') }}"
                    config: {url: "http://127.0.0.1:1/hook?token=%s", max_retries: 0, connect_timeout_ms: 2000}
                """.formatted(SECRET));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            code = Main.run(new String[]{"build", "--project-dir", project.toString(), "--profiles-dir", project.toString()}, o, o);
        }
        assertEquals(Main.NODE_FAILED, code, out.toString(StandardCharsets.UTF_8));
        List<String> log = ids("select concat_ws(' | ', operator, kind, destination, status, audience, message) from main.sluice_activation_log");
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).startsWith("unreachable_webhook | webhook | 127.0.0.1 | failure | 6 | "), log.get(0));
        assertFalse(log.get(0).contains(SECRET), log.get(0));
    }

    @Test
    void aRelativePathMayNotLeaveTheProject() throws Exception {
        Files.writeString(project.resolve("models/marts/activation.yml"), """
                version: 2
                operators:
                  - name: escape
                    type: export_file
                    sql: "select * from {{ ref('customers') }}"
                    config: {path: ../../../escaped.csv}
                """);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            code = Main.run(new String[]{"build", "--project-dir", project.toString(), "--profiles-dir", project.toString()}, o, o);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(Main.NODE_FAILED, code, text);
        assertTrue(text.contains("leads outside the project"), text);
        assertFalse(Files.exists(tmp.resolve("escaped.csv")));
    }

    private String read(String relative) throws IOException {
        return Files.readString(project.resolve(relative));
    }
}

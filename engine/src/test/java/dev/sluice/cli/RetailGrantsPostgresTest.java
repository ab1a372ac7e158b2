package dev.sluice.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Grants per role on the sample project, on a real PostgreSQL server (DuckDB has no privileges): gold, whose
 * personal columns are hashed or masked, is readable by marketing and crm_analyst; the clear contact details
 * (restricted.customer_contacts) by crm_analyst alone. As dbt's apply_grants, a privilege someone holds that the
 * project does not declare is revoked when the relation is built again.
 */
class RetailGrantsPostgresTest extends ProjectTest {
    private static final String SIZE = "{customers: 200, months: 2}";

    @Override
    Warehouse warehouse() {
        return postgres();
    }

    private static boolean can(CliHarness p, String role, String relation, String privilege) {
        return (Boolean) p.scalar("select has_table_privilege('" + role + "', '" + relation + "', '" + privilege + "')");
    }

    @Test
    void eachRoleReadsWhatTheProjectGrantsIt() {
        CliHarness p = CliHarness.copyOf(Path.of("..", "project").toAbsolutePath().normalize(), "retail", tmp, warehouse());
        CliHarness.Result r = p.run("build", "--vars", SIZE, "--exclude", "tag:ml+");
        assertEquals(0, r.exitCode(), r.all());

        String gold = "main_gold.customer_360_profile", contacts = "main_restricted.customer_contacts", fact = "main_gold.fct_transactions";
        assertTrue(can(p, "marketing", gold, "select") && can(p, "crm_analyst", gold, "select"), "gold is granted to both roles");
        assertTrue(can(p, "crm_analyst", contacts, "select"), "crm_analyst reads the clear contact details");
        assertTrue(!can(p, "marketing", contacts, "select"), "marketing does not");
        assertTrue(!can(p, "marketing", gold, "insert"), "select only");
        // What each may read: the clear e-mails are only in the restricted table.
        long clear = ((Number) p.scalar("select count(*) from " + contacts + " where email like '%@%'")).longValue();
        assertTrue(clear > 150, "clear e-mails for crm_analyst: " + clear);
        assertEquals(0L, ((Number) p.scalar("select count(*) from " + gold + " where email like '%@%'")).longValue());

        // A privilege granted by hand on a table kept across builds (the incremental fact) is revoked by the next build.
        p.execute("grant insert, delete on " + fact + " to marketing");
        p.execute("grant select on " + fact + " to public");
        assertTrue(can(p, "marketing", fact, "insert"));
        r = p.run("run", "-s", "fct_transactions", "--vars", SIZE);
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(!can(p, "marketing", fact, "insert") && !can(p, "marketing", fact, "delete"), "undeclared privileges revoked");
        assertEquals(0L, ((Number) p.scalar("select count(*) from information_schema.role_table_grants where table_schema = 'main_gold' "
                + "and table_name = 'fct_transactions' and grantee = 'PUBLIC'")).longValue(), "the grant to PUBLIC too");
        assertTrue(can(p, "marketing", fact, "select") && can(p, "crm_analyst", fact, "select"), "declared ones kept");
        assertTrue(r.all().contains("revoke insert on") || p.read("logs/engine.log").contains("revoke insert on"), "the log shows the revoke");
    }
}

package dev.sluice.sql;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlAnalyzerTest {

    private final SqlAnalyzer analyzer = new SqlAnalyzer();

    private static final Function<TableName, Optional<List<String>>> NOTHING_KNOWN = t -> Optional.empty();

    private static TableName t(String... parts) {
        return new TableName(List.of(parts));
    }

    private static ColumnSource src(TableName table, String column) {
        return new ColumnSource(table, column);
    }

    private static Function<TableName, Optional<List<String>>> known(Map<TableName, List<String>> columns) {
        return table -> Optional.ofNullable(columns.get(table));
    }

    private SqlAnalysis ok(String sql, Function<TableName, Optional<List<String>>> knownColumns) {
        SqlAnalysis analysis = analyzer.analyze(sql, knownColumns);
        assertTrue(analysis.parsed(), () -> "did not parse: " + analysis.syntaxError());
        return analysis;
    }

    // ------------------------------------------------------------------ tables

    @Test
    void tablesKeepQualificationAndFirstSeenOrder() {
        SqlAnalysis a = ok("""
                select o.id, c.name
                from "main"."orders" o
                join main.customers c on c.id = o.customer_id
                left join payments p using (order_id)
                join main.orders o2 on o2.id = o.id
                """, NOTHING_KNOWN);
        assertEquals(List.of(t("main", "orders"), t("main", "customers"), t("payments")), a.tables());
    }

    @Test
    void tablesIncludeSubqueriesSetOperationsAndPredicates() {
        SqlAnalysis a = ok("""
                select (select max(x) from scalar_src) as m, id
                from (select id from derived_src) d
                where id in (select id from in_src)
                  and exists (select 1 from exists_src e where e.id = d.id)
                union all
                select 1, id from union_src
                """, NOTHING_KNOWN);
        assertEquals(List.of(t("scalar_src"), t("derived_src"), t("in_src"), t("exists_src"), t("union_src")),
                a.tables());
    }

    @Test
    void cteNamesAreExcludedAndShadowRealTables() {
        SqlAnalysis a = ok("""
                with orders as (select * from raw.orders),
                     customers as (select * from orders join raw.customers using (customer_id))
                select * from customers join orders using (customer_id)
                """, NOTHING_KNOWN);
        // "orders" inside the second CTE and the body means the CTE, never a table called orders.
        assertEquals(List.of(t("raw", "orders"), t("raw", "customers")), a.tables());
    }

    @Test
    void cteScopingEndsWithItsQuery() {
        SqlAnalysis a = ok("""
                select * from (with x as (select 1 as one) select * from x) sub
                join x on true
                """, NOTHING_KNOWN);
        // The outer "x" is outside the WITH, so it is a real table.
        assertEquals(List.of(t("x")), a.tables());
    }

    @Test
    void cteIsNotVisibleInsideItsOwnNonRecursiveBody() {
        SqlAnalysis a = ok("with events as (select * from events where ok) select * from events", NOTHING_KNOWN);
        assertEquals(List.of(t("events")), a.tables());
    }

    // ------------------------------------------------------------------ columns

    @Test
    void columnsUseAliasesNamesAndDerivedNames() {
        SqlAnalysis a = ok("""
                select o.id, amount as total, count(*), coalesce(a, b), o.created_at::date,
                       case when x then 1 end, a + b, count(*) filter (where ok) as n_ok,
                       row_number() over (partition by g order by ts)
                from orders o
                """, NOTHING_KNOWN);
        assertEquals(List.of("id", "total", "count_star", "coalesce", "created_at", "case", "expr_7", "n_ok",
                "row_number"), a.columns());
    }

    @Test
    void starsExpandThroughKnownColumns() {
        var cols = known(Map.of(t("main", "orders"), List.of("id", "customer_id", "amount"),
                t("main", "customers"), List.of("id", "name")));
        SqlAnalysis a = ok("select o.*, c.name from main.orders o join main.customers c on c.id = o.customer_id",
                cols);
        assertEquals(List.of("id", "customer_id", "amount", "name"), a.columns());

        SqlAnalysis all = ok("select * from main.orders o join main.customers c on c.id = o.customer_id", cols);
        assertEquals(List.of("id", "customer_id", "amount", "id", "name"), all.columns());
    }

    @Test
    void starWithUsingListsTheJoinKeyOnce() {
        var cols = known(Map.of(t("a"), List.of("id", "x"), t("b"), List.of("id", "y")));
        SqlAnalysis a = ok("select * from a join b using (id)", cols);
        assertEquals(List.of("id", "x", "y"), a.columns());
        assertEquals(Set.of(src(t("a"), "id"), src(t("b"), "id")), a.lineage().get("id"));
    }

    @Test
    void starsExpandThroughCtesAndSubqueries() {
        var cols = known(Map.of(t("raw", "orders"), List.of("id", "amount")));
        SqlAnalysis a = ok("""
                with base as (select id, amount * 2 as doubled from raw.orders)
                select * from (select *, 1 as one from base) s
                """, cols);
        assertEquals(List.of("id", "doubled", "one"), a.columns());
        assertEquals(Set.of(src(t("raw", "orders"), "amount")), a.lineage().get("doubled"));
        assertEquals(Set.of(), a.lineage().get("one"));
    }

    @Test
    void unknownStarGivesNoColumns() {
        SqlAnalysis a = ok("select * from raw.orders", NOTHING_KNOWN);
        assertEquals(List.of(), a.columns());
        assertEquals(Map.of(), a.lineage());
        assertEquals(List.of(t("raw", "orders")), a.tables());
    }

    @Test
    void columnAliasListsRenameCteColumns() {
        SqlAnalysis a = ok("with c(x, y) as (select a, b from t) select x, y from c", NOTHING_KNOWN);
        assertEquals(List.of("x", "y"), a.columns());
        assertEquals(Set.of(src(t("t"), "b")), a.lineage().get("y"));
    }

    @Test
    void quotedIdentifiersKeepTheirCase() {
        SqlAnalysis a = ok("select \"Order Id\", Amount as \"Total\" from \"Main\".\"Orders\"", NOTHING_KNOWN);
        assertEquals(List.of("Order Id", "Total"), a.columns());
        assertEquals(List.of(t("Main", "Orders")), a.tables());
        assertEquals(Set.of(src(t("Main", "Orders"), "Amount")), a.lineage().get("Total"));
    }

    // ------------------------------------------------------------------ lineage

    @Test
    void lineageThroughTwoCteChain() {
        SqlAnalysis a = ok("""
                with src as (
                    select id as order_id, amount_cents / 100.0 as amount, created_at from raw.orders
                ),
                daily as (
                    select date_trunc('day', created_at) as day, sum(amount) as revenue, count(*) as n
                    from src group by 1
                )
                select day, revenue, n from daily
                """, NOTHING_KNOWN);
        assertEquals(List.of("day", "revenue", "n"), a.columns());
        TableName orders = t("raw", "orders");
        assertEquals(Set.of(src(orders, "created_at")), a.lineage().get("day"));
        assertEquals(Set.of(src(orders, "amount_cents")), a.lineage().get("revenue"));
        assertEquals(Set.of(), a.lineage().get("n"));
    }

    @Test
    void lineageThroughJoinResolvesUnqualifiedNamesWithKnownColumns() {
        var cols = known(Map.of(t("orders"), List.of("id", "customer_id", "amount"),
                t("customers"), List.of("id", "name", "region")));
        SqlAnalysis a = ok("""
                select o.id, name, amount, upper(region) || '-' || o.id as label
                from orders o
                left join customers c on c.id = o.customer_id
                """, cols);
        assertEquals(List.of("id", "name", "amount", "label"), a.columns());
        assertEquals(Set.of(src(t("orders"), "id")), a.lineage().get("id"));
        assertEquals(Set.of(src(t("customers"), "name")), a.lineage().get("name"));
        assertEquals(Set.of(src(t("orders"), "amount")), a.lineage().get("amount"));
        assertEquals(Set.of(src(t("customers"), "region"), src(t("orders"), "id")), a.lineage().get("label"));
    }

    @Test
    void unresolvableUnqualifiedColumnsAreLeftOut() {
        SqlAnalysis a = ok("select mystery, a.x from a join b on a.id = b.id", NOTHING_KNOWN);
        assertEquals(Set.of(), a.lineage().get("mystery"));
        assertEquals(Set.of(src(t("a"), "x")), a.lineage().get("x"));
    }

    @Test
    void singleTableResolvesUnqualifiedNamesWithoutKnownColumns() {
        SqlAnalysis a = ok("select sum(amount) filter (where status = 'paid') as paid from main.orders",
                NOTHING_KNOWN);
        assertEquals(Set.of(src(t("main", "orders"), "amount"), src(t("main", "orders"), "status")),
                a.lineage().get("paid"));
    }

    @Test
    void lineageUnionsSetOperationBranchesAndCorrelatedSubqueries() {
        SqlAnalysis a = ok("""
                select id, (select max(p.amount) from payments p where p.order_id = o.id) as max_paid
                from orders o
                union all
                select id, null from archived_orders
                """, NOTHING_KNOWN);
        assertEquals(List.of("id", "max_paid"), a.columns());
        assertEquals(Set.of(src(t("orders"), "id"), src(t("archived_orders"), "id")), a.lineage().get("id"));
        assertEquals(Set.of(src(t("payments"), "amount")), a.lineage().get("max_paid"));
    }

    @Test
    void lineageFlowsThroughUnexpandedStarOfSingleTable() {
        SqlAnalysis a = ok("with s as (select * from raw.events) select user_id, count(*) as n from s group by 1",
                NOTHING_KNOWN);
        assertEquals(List.of("user_id", "n"), a.columns());
        assertEquals(Set.of(src(t("raw", "events"), "user_id")), a.lineage().get("user_id"));
    }

    @Test
    void niladicFunctionsAreNotColumns() {
        SqlAnalysis a = ok("select current_date as today, current_timestamp, id from t", NOTHING_KNOWN);
        assertEquals(List.of("today", "current_timestamp", "id"), a.columns());
        assertEquals(Set.of(), a.lineage().get("today"));
        assertEquals(Set.of(), a.lineage().get("current_timestamp"));
    }

    @Test
    void dateDiffKeepsBothDateArguments() {
        SqlAnalysis a = ok("select datediff('day', a, b) as d1, date_diff('day', a, c) as d2 from t", NOTHING_KNOWN);
        assertEquals(Set.of(src(t("t"), "a"), src(t("t"), "b")), a.lineage().get("d1"));
        assertEquals(Set.of(src(t("t"), "a"), src(t("t"), "c")), a.lineage().get("d2"));
    }

    @Test
    void recursiveCteReferencesItself() {
        SqlAnalysis a = ok("with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select n from r",
                NOTHING_KNOWN);
        assertEquals(List.of(), a.tables());
        assertEquals(List.of("n"), a.columns());
    }

    // ------------------------------------------------------------------ errors

    @Test
    void syntaxErrorReportsLineAndColumnOnOneLine() {
        String sql = """
                select id,
                       amount
                from orders
                where amount >> 3
                """;
        SqlAnalysis a = analyzer.analyze(sql, NOTHING_KNOWN);
        assertFalse(a.parsed());
        SqlSyntaxError error = a.syntaxError().orElseThrow();
        assertEquals(4, error.line());
        assertEquals(14, error.column());
        assertEquals("Encountered \">\" at line 4, column 14.", error.message());
        assertEquals(List.of(), a.tables());
        assertEquals(List.of(), a.columns());
        // What Calcite expected there is worked out only for an error shown to the user.
        SqlSyntaxError explained = analyzer.explainSyntaxError(sql).orElseThrow();
        assertEquals(4, explained.line());
        assertEquals(14, explained.column());
        assertTrue(explained.message().startsWith("Encountered \"> >\" at line 4, column 14. Expected one of: "),
                explained.message());
        assertFalse(explained.message().contains("\n"));
    }

    @Test
    void explainingSqlThatParsesFindsNoError() {
        assertTrue(analyzer.explainSyntaxError("select a from t where b > 3").isEmpty());
    }

    @Test
    void aStatementOnlyBabelReadsIsParsedDespiteTheStandardGrammarsQuietError() {
        // The standard grammar refuses :: and QUALIFY; its error is dropped and Babel's tree is used.
        SqlAnalysis a = analyzer.analyze("select x::int as y from t qualify row_number() over (order by x) = 1",
                NOTHING_KNOWN);
        assertTrue(a.parsed(), a.syntaxError().toString());
        assertEquals(List.of("y"), a.columns());
    }

    @Test
    void theEndOfTheStatementIsNamedInTheQuietError() {
        SqlSyntaxError error = analyzer.analyze("", NOTHING_KNOWN).syntaxError().orElseThrow();
        assertTrue(error.message().startsWith("Encountered \"<EOF>\" at line "), error.message());
    }

    @Test
    void syntaxErrorPositionIsUnaffectedByNormalization() {
        // The trailing ";" and the rewritten interval must not move the reported position.
        SqlAnalysis a = analyzer.analyze("select d + interval '90 days'\nfrom t\nwhere x = ;", NOTHING_KNOWN);
        SqlSyntaxError error = a.syntaxError().orElseThrow();
        assertEquals(3, error.line());
        assertEquals(9, error.column());
    }

    @Test
    void garbageDoesNotThrow() {
        for (String sql : List.of("", "   ", ";", "select", "select (", "'unterminated", "/* open comment",
                "select \"unterminated", "with x as select 1", "drop table x")) {
            SqlAnalysis a = analyzer.analyze(sql, NOTHING_KNOWN);
            assertTrue(a.syntaxError().isPresent() || a.columns().isEmpty(), sql);
        }
    }

    // ------------------------------------------------------------------ concurrency

    @Test
    void concurrentCallsGiveTheSameAnswers() throws Exception {
        var cols = known(Map.of(t("orders"), List.of("id", "amount"), t("customers"), List.of("id", "name")));
        List<String> statements = List.of(
                "select o.id, c.name, sum(o.amount) as total from orders o join customers c on c.id = o.id group by 1, 2",
                "with x as (select * from orders) select * from x",
                "select id from orders where amount >",
                "select * from customers qualify row_number() over (partition by name order by id) = 1");
        List<SqlAnalysis> expected = new ArrayList<>();
        for (String sql : statements) {
            expected.add(analyzer.analyze(sql, cols));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int k = i % statements.size();
                futures.add(pool.submit(() -> analyzer.analyze(statements.get(k), cols).equals(expected.get(k))));
            }
            for (Future<Boolean> f : futures) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ size

    @Test
    void threeThousandUnionBranchesAnalyseWithoutOverflow() {
        StringBuilder sql = new StringBuilder("select a, b from t0");
        for (int i = 1; i < 3000; i++) sql.append("\nunion all select a, b from t").append(i);
        SqlAnalysis a = ok(sql.toString(), NOTHING_KNOWN);
        assertEquals(3000, a.tables().size());
        assertEquals(List.of("a", "b"), a.columns());
        assertEquals(3000, a.lineage().get("a").size());
        assertTrue(a.lineage().get("b").contains(src(t("t2999"), "b")));
    }

    @Test
    void twentyThousandValuesRowsAndLongOrChainsAnalyse() {
        StringBuilder sql = new StringBuilder("select * from (values (0, 'x0')");
        for (int i = 1; i < 20000; i++) sql.append(", (").append(i).append(", 'x").append(i).append("')");
        sql.append(") as v(id, label)");
        SqlAnalysis a = ok(sql.toString(), NOTHING_KNOWN);
        assertEquals(List.of("id", "label"), a.columns());

        StringBuilder ors = new StringBuilder("select c0 from src where c0 = 0");
        for (int i = 1; i < 5000; i++) ors.append(" or c").append(i).append(" = ").append(i);
        assertEquals(List.of(t("src")), ok(ors.toString(), NOTHING_KNOWN).tables());
    }

    @Test
    void nestingBeyondAnyStackIsReportedNotThrown() {
        int depth = 20000;
        String sql = "select x from " + "(select x from ".repeat(depth) + "src" + ") q".repeat(depth);
        SqlAnalysis a = analyzer.analyze(sql, NOTHING_KNOWN);
        if (!a.parsed()) {
            assertTrue(a.tooDeep(), () -> "expected a too-deep result, got " + a.syntaxError());
            assertTrue(a.syntaxError().get().message().contains("nests too deeply"));
        } else {
            assertEquals(List.of(t("src")), a.tables());
        }
    }
}

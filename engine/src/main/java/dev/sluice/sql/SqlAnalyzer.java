package dev.sluice.sql;

import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses compiled SQL with Calcite's lenient (Babel) parser and derives tables read, output columns and
 * column lineage. Stateless apart from an immutable parser configuration, so safe to call concurrently.
 */
public final class SqlAnalyzer {

    /** Expected tokens kept in an error message; Calcite lists dozens, which drowns the message. */
    private static final int EXPECTED_TOKENS_SHOWN = 6;
    /** Stack for the second try at a deeply nested statement: reserved address space, committed only as used. */
    private static final long BIG_STACK_BYTES = 512L * 1024 * 1024;
    private static final Pattern LINE_COLUMN = Pattern.compile("line (\\d+), column (\\d+)");

    /**
     * One parser per thread, re-initialised for each statement: building Babel's parser allocates large
     * look-ahead tables, which cost more than parsing a small model.
     */
    private static final ThreadLocal<org.apache.calcite.sql.parser.SqlAbstractParserImpl> PARSERS =
            ThreadLocal.withInitial(() -> new QuietParsers.Babel(new java.io.StringReader("")));
    /**
     * Calcite's standard parser, tried first: it reads plain SQL about twice as fast as Babel (far less
     * look-ahead), and most models are plain SQL. Anything it refuses goes to Babel, whose answer (tree or
     * error) is the one used, so the standard parser only ever makes accepted SQL cheaper.
     */
    private static final ThreadLocal<org.apache.calcite.sql.parser.SqlAbstractParserImpl> CORE_PARSERS =
            ThreadLocal.withInitial(() -> new QuietParsers.Core(new java.io.StringReader("")));

    private final SqlParser.Config config = settings(SqlParser.config()
            .withParserFactory(reader -> {
                org.apache.calcite.sql.parser.SqlAbstractParserImpl parser = PARSERS.get();
                parser.ReInit(reader);
                return parser;
            }));

    /** Babel with its full error messages (which tokens it expected), for an error a user is shown. */
    private final SqlParser.Config explainConfig = settings(SqlParser.config()
            .withParserFactory(SqlBabelParserImpl.FACTORY));

    private final SqlParser.Config coreConfig = settings(SqlParser.config()
            .withParserFactory(reader -> {
                org.apache.calcite.sql.parser.SqlAbstractParserImpl parser = CORE_PARSERS.get();
                parser.ReInit(reader);
                return parser;
            }));

    private static SqlParser.Config settings(SqlParser.Config c) {
        return c.withConformance(SqlConformanceEnum.BABEL)
                .withQuoting(Quoting.DOUBLE_QUOTE)
                .withQuotedCasing(Casing.UNCHANGED)
                .withUnquotedCasing(Casing.UNCHANGED)
                .withCaseSensitive(false);
    }

    /**
     * @param sql          one compiled SELECT (possibly WITH ...) statement
     * @param knownColumns columns of an upstream table when known, to expand * and resolve unqualified names
     */
    public SqlAnalysis analyze(String sql, Function<TableName, Optional<List<String>>> knownColumns) {
        try {
            return analyzeHere(sql, knownColumns);
        } catch (StackOverflowError tooDeepForThisThread) {
            return analyzeOnBigStack(sql, knownColumns);
        }
    }

    /**
     * Calcite's generated parser recurses once per nesting level (parentheses, subqueries), which our walk
     * cannot avoid. A statement too deep for the caller's stack gets one more try on a thread with a large
     * stack; beyond that the analysis gives up and says so, and the warehouse's parser has the last word.
     */
    private SqlAnalysis analyzeOnBigStack(String sql, Function<TableName, Optional<List<String>>> knownColumns) {
        SqlAnalysis[] result = new SqlAnalysis[1];
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(null, () -> {
            try {
                result[0] = analyzeHere(sql, knownColumns);
            } catch (StackOverflowError e) {
                result[0] = SqlAnalysis.tooDeep("the statement nests too deeply for SQL analysis");
            } catch (RuntimeException | Error e) {
                failure[0] = e;
            }
        }, "sql-analysis-big-stack", BIG_STACK_BYTES);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.interrupt();
            throw new IllegalStateException("interrupted while analysing SQL", e);
        }
        if (failure[0] instanceof RuntimeException re) throw re;
        if (failure[0] instanceof Error err) throw err;
        return result[0];
    }

    private SqlAnalysis analyzeHere(String sql, Function<TableName, Optional<List<String>>> knownColumns) {
        String normalized = SqlNormalizer.normalize(sql);
        SqlNode node;
        try {
            node = parse(normalized);
        } catch (SqlParseException first) {
            node = retryWithQuotedKeywords(normalized);
            if (node == null) {
                return new SqlAnalysis(Optional.of(syntaxError(first)), List.of(), List.of(), Map.of());
            }
        } catch (RuntimeException e) {
            // Calcite occasionally fails with an unchecked error on odd input; report it as a syntax error.
            return new SqlAnalysis(Optional.of(new SqlSyntaxError(oneLine(String.valueOf(e.getMessage())), 1, 1)),
                    List.of(), List.of(), Map.of());
        }
        return analyzeTree(node, knownColumns);
    }

    /**
     * The syntax error of a statement {@link #analyze} found unparseable, with the tokens Calcite expected there.
     * analyze names only the token and position: listing what was expected costs Babel's parser ~9 ms a statement
     * (it replays every look-ahead), and nearly all such statements are the warehouse's own dialect, which runs
     * as written, so the list is worked out only here, for an error shown to the user. Empty when it parses, or
     * when Calcite fails otherwise (an unchecked error, a stack too deep): the caller then keeps analyze's message.
     */
    public Optional<SqlSyntaxError> explainSyntaxError(String sql) {
        try {
            SqlParser.create(new StatementReader(SqlNormalizer.normalize(sql)), explainConfig).parseQuery();
            return Optional.empty();
        } catch (SqlParseException e) {
            return Optional.of(syntaxError(e));
        } catch (RuntimeException | StackOverflowError e) {
            return Optional.empty();
        }
    }

    /**
     * The plain column names a single SELECT's select list, WHERE, GROUP BY and HAVING use that its table does not have
     * (known: that table's columns); names inside subqueries belong to their own tables and are not looked at.
     * Empty when the statement does not parse or is not one plain SELECT: nothing can be said then.
     */
    public List<String> unknownColumns(String sql, List<String> known) {
        SqlNode node;
        try {
            node = parse(SqlNormalizer.normalize(sql));
        } catch (SqlParseException | RuntimeException e) {
            return List.of();
        }
        // Ephemeral models a segment reads come first as WITH: the segment's own SELECT is the body.
        if (node instanceof org.apache.calcite.sql.SqlWith with) node = with.body;
        if (!(node instanceof org.apache.calcite.sql.SqlSelect select)) return List.of();
        Set<String> have = new java.util.HashSet<>();
        known.forEach(k -> have.add(k.toLowerCase(java.util.Locale.ROOT)));
        Set<String> out = new LinkedHashSet<>();
        java.util.function.Consumer<SqlNode> walk = new java.util.function.Consumer<>() {
            @Override
            public void accept(SqlNode n) {
                if (n == null || n instanceof org.apache.calcite.sql.SqlSelect) return;
                if (n instanceof org.apache.calcite.sql.SqlIdentifier id) {
                    if (!id.isStar() && id.names.size() == 1 && !have.contains(id.getSimple().toLowerCase(java.util.Locale.ROOT))) out.add(id.getSimple());
                } else if (n instanceof org.apache.calcite.sql.SqlCall call) {
                    List<SqlNode> operands = call.getOperandList();
                    // An alias (x AS y) names a new column: only its expression reads the table.
                    int last = call.getKind() == org.apache.calcite.sql.SqlKind.AS ? 1 : operands.size();
                    for (int i = 0; i < last; i++) accept(operands.get(i));
                } else if (n instanceof org.apache.calcite.sql.SqlNodeList list) {
                    list.forEach(this);
                }
            }
        };
        walk.accept(select.getSelectList());
        walk.accept(select.getWhere());
        walk.accept(select.getGroup());
        walk.accept(select.getHaving());
        return List.copyOf(out);
    }

    private SqlNode parse(String sql) throws SqlParseException {
        try {
            return SqlParser.create(new StatementReader(sql), coreConfig).parseQuery();
        } catch (SqlParseException | RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof StackOverflowError overflow) throw overflow;
            }
            // Not plain SQL (or not for Calcite's standard grammar): Babel decides.
        }
        try {
            return SqlParser.create(new StatementReader(sql), config).parseQuery();
        } catch (SqlParseException | RuntimeException e) {
            // Calcite wraps a stack overflow in its parser as a plain "syntax error"; it is not one.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof StackOverflowError overflow) throw overflow;
            }
            throw e;
        }
    }

    /** Second chance for columns named date/timestamp/time; its own errors are not reported. */
    private SqlNode retryWithQuotedKeywords(String normalized) {
        String quoted = SqlNormalizer.quoteKeywordIdentifiers(normalized);
        if (quoted.equals(normalized)) {
            return null;
        }
        try {
            return parse(quoted);
        } catch (SqlParseException | RuntimeException e) {
            return null;
        }
    }

    private static SqlAnalysis analyzeTree(SqlNode node, Function<TableName, Optional<List<String>>> knownColumns) {
        QueryWalker walker = new QueryWalker(knownColumns);
        Relation result = walker.topLevel(node);
        List<String> columns = new ArrayList<>();
        Map<String, Set<ColumnSource>> lineage = new LinkedHashMap<>();
        if (!result.open()) {
            for (Relation.OutputColumn column : result.columns()) {
                columns.add(column.name());
                // Duplicate output names (legal SQL) share one lineage entry holding both sources.
                lineage.computeIfAbsent(column.name(), k -> new LinkedHashSet<>()).addAll(column.sources());
            }
        }
        Map<String, Set<ColumnSource>> frozen = new LinkedHashMap<>();
        // A column from one source (most) keeps a singleton: the compiled node holds its lineage to the end of the
        // compile, and a wrapped LinkedHashSet is five objects more for the collector to copy and scan.
        lineage.forEach((k, v) -> frozen.put(k, v.size() == 1 ? Collections.singleton(v.iterator().next())
                : Collections.unmodifiableSet(v)));
        return new SqlAnalysis(Optional.empty(), walker.tables(), List.copyOf(columns),
                Collections.unmodifiableMap(frozen));
    }

    /** One line: Calcite's first line, plus a shortened "Was expecting" list when it has one. */
    static SqlSyntaxError syntaxError(SqlParseException e) {
        String message = e.getMessage() == null ? "syntax error" : e.getMessage();
        String[] lines = message.split("\\R");
        StringBuilder text = new StringBuilder(lines[0].trim());
        List<String> expected = new ArrayList<>();
        boolean inExpected = false;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.startsWith("Was expecting")) {
                inExpected = true;
            } else if (inExpected && !line.isEmpty()) {
                expected.add(line.endsWith("...") ? line.substring(0, line.length() - 3).trim() : line);
            }
        }
        if (!expected.isEmpty()) {
            text.append(" Expected one of: ")
                    .append(String.join(", ", expected.subList(0, Math.min(EXPECTED_TOKENS_SHOWN, expected.size()))));
            if (expected.size() > EXPECTED_TOKENS_SHOWN) {
                text.append(", ... (").append(expected.size() - EXPECTED_TOKENS_SHOWN).append(" more)");
            }
        }
        int line = 1;
        int column = 1;
        SqlParserPos pos = e.getPos();
        if (pos != null && pos.getLineNum() > 0) {
            line = pos.getLineNum();
            column = Math.max(1, pos.getColumnNum());
        } else {
            Matcher m = LINE_COLUMN.matcher(lines[0]);
            if (m.find()) {
                line = Integer.parseInt(m.group(1));
                column = Integer.parseInt(m.group(2));
            }
        }
        return new SqlSyntaxError(oneLine(text.toString()), line, column);
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}

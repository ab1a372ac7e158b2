package dev.sluice.sql;

import dev.sluice.sql.Relation.OutputColumn;
import org.apache.calcite.sql.JoinConditionType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWindow;
import org.apache.calcite.sql.SqlWith;
import org.apache.calcite.sql.SqlWithItem;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Walks one parsed statement, collecting the tables it reads and the shape and lineage of its result.
 * One instance per statement; not shared between threads.
 */
final class QueryWalker {

    private static final Set<String> NILADIC_FUNCTIONS = Set.of("current_date", "current_time",
            "current_timestamp", "localtime", "localtimestamp", "current_user", "session_user", "user",
            "current_role", "current_schema", "current_catalog", "current_path");

    private final Function<TableName, Optional<List<String>>> knownColumns;
    /** Tables with where they were written, so the result can be in textual order. */
    private final List<Map.Entry<TableName, SqlParserPos>> tableRefs = new ArrayList<>();
    /** Cache so a table whose columns are asked for several times costs one callback. */
    private final Map<TableName, Optional<List<String>>> columnCache = new HashMap<>();

    QueryWalker(Function<TableName, Optional<List<String>>> knownColumns) {
        this.knownColumns = knownColumns;
    }

    /** Tables read, deduplicated, in the order they appear in the SQL text. */
    List<TableName> tables() {
        List<Map.Entry<TableName, SqlParserPos>> sorted = new ArrayList<>(tableRefs);
        sorted.sort(Comparator.comparingInt((Map.Entry<TableName, SqlParserPos> e) -> e.getValue().getLineNum())
                .thenComparingInt(e -> e.getValue().getColumnNum()));
        LinkedHashSet<TableName> names = new LinkedHashSet<>();
        sorted.forEach(e -> names.add(e.getKey()));
        return List.copyOf(names);
    }

    // ---------------------------------------------------------------- scopes

    /** CTE names visible at a point of the statement; inner WITH clauses shadow outer ones. */
    private record CteScope(Map<String, Relation> ctes, CteScope parent) {
        static final CteScope EMPTY = new CteScope(Map.of(), null);

        Optional<Relation> find(String name) {
            for (CteScope s = this; s != null; s = s.parent) {
                Relation r = s.ctes.get(Relation.key(name));
                if (r != null) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        }
    }

    /** One FROM item: its alias (or table name), the table it names if any, and its shape. */
    private record FromItem(String alias, TableName table, boolean aliased, Relation relation) {
        boolean matches(List<String> qualifier) {
            if (qualifier.size() == 1 && alias != null && alias.equalsIgnoreCase(qualifier.get(0))) {
                return true;
            }
            if (aliased || table == null || qualifier.size() > table.parts().size()) {
                return false;
            }
            List<String> tail = table.parts().subList(table.parts().size() - qualifier.size(), table.parts().size());
            for (int i = 0; i < qualifier.size(); i++) {
                if (!tail.get(i).equalsIgnoreCase(qualifier.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Columns visible inside one SELECT: its FROM items, then enclosing queries (correlation). */
    private static final class ColumnScope {
        final List<FromItem> items = new ArrayList<>();
        final Set<String> usingColumns = new LinkedHashSet<>();
        final ColumnScope parent;

        ColumnScope(ColumnScope parent) {
            this.parent = parent;
        }

        Optional<Set<ColumnSource>> resolve(List<String> names) {
            String column = names.get(names.size() - 1);
            if (names.size() == 1) {
                return resolveUnqualified(column);
            }
            List<String> qualifier = names.subList(0, names.size() - 1);
            for (ColumnScope s = this; s != null; s = s.parent) {
                for (FromItem item : s.items) {
                    if (item.matches(qualifier)) {
                        return Optional.of(item.relation().lookup(column).orElse(Set.of()));
                    }
                }
            }
            // Not a known qualifier: maybe a struct field access such as address.city.
            return resolveUnqualified(names.get(0));
        }

        Optional<Set<ColumnSource>> resolveUnqualified(String column) {
            for (ColumnScope s = this; s != null; s = s.parent) {
                Set<ColumnSource> sources = new LinkedHashSet<>();
                boolean listed = false;
                List<FromItem> open = new ArrayList<>();
                for (FromItem item : s.items) {
                    Optional<Set<ColumnSource>> found = item.relation().listed(column);
                    if (found.isPresent()) {
                        // Several matches only happen for USING/NATURAL join keys: the value comes from both.
                        listed = true;
                        sources.addAll(found.get());
                    } else if (item.relation().open()) {
                        open.add(item);
                    }
                }
                if (listed) {
                    return Optional.of(sources);
                }
                if (open.size() == 1) {
                    // The only FROM item whose columns are unknown must be the one that has it.
                    return Optional.of(open.get(0).relation().openLookup().apply(column));
                }
                if (open.size() > 1) {
                    return Optional.empty(); // ambiguous between unknown tables: leave it out
                }
            }
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- queries

    /** Shape of any query expression: SELECT, WITH, set operation, ORDER BY wrapper, VALUES. */
    Relation query(SqlNode node, CteScope ctes, ColumnScope outer) {
        if (node instanceof SqlSelect select) {
            return select(select, ctes, outer);
        }
        if (node instanceof SqlWith with) {
            return with(with, ctes, outer);
        }
        if (node instanceof SqlOrderBy orderBy) {
            Relation result = query(orderBy.query, ctes, outer);
            expressions(orderBy.orderList, ctes, outer);
            return result;
        }
        if (node instanceof SqlCall call) {
            switch (call.getKind()) {
                case UNION, INTERSECT, EXCEPT:
                    return setOperation(call, ctes, outer);
                case VALUES:
                    return values(call, ctes, outer);
                default:
                    break;
            }
        }
        // Not a query: still record tables read by subqueries inside it.
        expression(node, ctes, outer);
        return Relation.opaque();
    }

    Relation topLevel(SqlNode node) {
        return query(node, CteScope.EMPTY, null);
    }

    static boolean isQuery(SqlNode node) {
        return node instanceof SqlSelect || node instanceof SqlWith || node instanceof SqlOrderBy
                || node.getKind() == SqlKind.UNION || node.getKind() == SqlKind.INTERSECT
                || node.getKind() == SqlKind.EXCEPT || node.getKind() == SqlKind.VALUES;
    }

    private Relation with(SqlWith with, CteScope outerCtes, ColumnScope outer) {
        Map<String, Relation> defined = new HashMap<>();
        CteScope scope = new CteScope(defined, outerCtes);
        for (SqlNode node : with.withList) {
            SqlWithItem item = (SqlWithItem) node;
            String name = item.name.getSimple();
            boolean recursive = item.recursive != null && item.recursive.booleanValue();
            if (recursive) {
                // Lets the recursive branch refer to the CTE instead of a same-named real table.
                defined.put(Relation.key(name), Relation.opaque());
            }
            Relation body = query(item.query, scope, outer).renamed(names(item.columnList));
            defined.put(Relation.key(name), body);
        }
        return query(with.body, scope, outer);
    }

    private Relation setOperation(SqlCall call, CteScope ctes, ColumnScope outer) {
        List<Relation> branches = new ArrayList<>();
        for (SqlNode operand : setOperands(call)) {
            branches.add(query(operand, ctes, outer));
        }
        Relation first = branches.get(0);
        if (first.open()) {
            return first;
        }
        // Names come from the first branch, values from every branch at the same position.
        List<OutputColumn> merged = new ArrayList<>();
        for (int i = 0; i < first.columns().size(); i++) {
            Set<ColumnSource> sources = new LinkedHashSet<>();
            for (Relation branch : branches) {
                if (i < branch.columns().size()) {
                    sources.addAll(branch.columns().get(i).sources());
                }
            }
            merged.add(new OutputColumn(first.columns().get(i).name(), sources));
        }
        return Relation.closed(merged);
    }

    /**
     * The branches of a chain of set operations, left to right. The parser nests "a UNION b UNION c" one
     * call per operator, so generated SQL with thousands of branches would recurse that deep; flattening
     * with an explicit stack keeps the depth constant. Mixed operators flatten too: lineage and names do
     * not depend on which operator joins the branches.
     */
    private static List<SqlNode> setOperands(SqlCall call) {
        List<SqlNode> leaves = new ArrayList<>();
        Deque<SqlNode> todo = new ArrayDeque<>();
        todo.push(call);
        while (!todo.isEmpty()) {
            SqlNode node = todo.pop();
            if (node instanceof SqlCall c && isSetOperation(c)) {
                List<SqlNode> operands = c.getOperandList();
                for (int i = operands.size() - 1; i >= 0; i--) {
                    todo.push(operands.get(i));
                }
            } else {
                leaves.add(node);
            }
        }
        return leaves;
    }

    private static boolean isSetOperation(SqlNode node) {
        SqlKind kind = node.getKind();
        return kind == SqlKind.UNION || kind == SqlKind.INTERSECT || kind == SqlKind.EXCEPT;
    }

    private Relation values(SqlCall call, CteScope ctes, ColumnScope outer) {
        List<OutputColumn> columns = new ArrayList<>();
        for (SqlNode row : call.getOperandList()) {
            if (row instanceof SqlCall rowCall) {
                List<SqlNode> cells = rowCall.getOperandList();
                for (int i = 0; i < cells.size(); i++) {
                    Set<ColumnSource> sources = expression(cells.get(i), ctes, outer);
                    if (i < columns.size()) {
                        Set<ColumnSource> union = new LinkedHashSet<>(columns.get(i).sources());
                        union.addAll(sources);
                        columns.set(i, new OutputColumn(columns.get(i).name(), union));
                    } else {
                        // PostgreSQL's default names for VALUES columns.
                        columns.add(new OutputColumn("column" + (i + 1), sources));
                    }
                }
            }
        }
        return Relation.closed(columns);
    }

    private Relation select(SqlSelect select, CteScope ctes, ColumnScope outer) {
        ColumnScope scope = new ColumnScope(outer);
        if (select.getFrom() != null) {
            fromItem(select.getFrom(), ctes, scope);
        }
        List<OutputColumn> columns = new ArrayList<>();
        boolean open = false;
        for (SqlNode item : select.getSelectList()) {
            if (item instanceof SqlIdentifier id && id.isStar()) {
                open |= expandStar(id, scope, columns);
                continue;
            }
            columns.add(new OutputColumn(OutputNames.of(item, columns.size()), expression(item, ctes, scope)));
        }
        // The other clauses do not feed output values, but their subqueries read tables.
        expression(select.getWhere(), ctes, scope);
        expressions(select.getGroup(), ctes, scope);
        expression(select.getHaving(), ctes, scope);
        expression(select.getQualify(), ctes, scope);
        expressions(select.getWindowList(), ctes, scope);
        expressions(select.getOrderList(), ctes, scope);
        if (!open) {
            return Relation.closed(columns);
        }
        return new Relation(List.copyOf(columns), true,
                name -> scope.resolveUnqualified(name).orElse(Set.of()));
    }

    /** Appends what a star expands to; returns true when it could not be expanded fully. */
    private boolean expandStar(SqlIdentifier star, ColumnScope scope, List<OutputColumn> out) {
        boolean open = false;
        if (star.names.size() == 1) {
            Set<String> seenUsing = new LinkedHashSet<>();
            for (FromItem item : scope.items) {
                for (OutputColumn column : item.relation().columns()) {
                    String key = Relation.key(column.name());
                    if (scope.usingColumns.contains(key) && !seenUsing.add(key)) {
                        continue; // a USING/NATURAL key appears once in SELECT *
                    }
                    out.add(scope.usingColumns.contains(key)
                            ? new OutputColumn(column.name(), scope.resolveUnqualified(column.name()).orElse(Set.of()))
                            : column);
                }
                open |= item.relation().open();
            }
            return open || scope.items.isEmpty();
        }
        List<String> qualifier = star.names.subList(0, star.names.size() - 1);
        for (FromItem item : scope.items) {
            if (item.matches(qualifier)) {
                out.addAll(item.relation().columns());
                return item.relation().open();
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- FROM

    private void fromItem(SqlNode node, CteScope ctes, ColumnScope scope) {
        if (node instanceof SqlJoin join) {
            fromItem(join.getLeft(), ctes, scope);
            int before = scope.items.size();
            fromItem(join.getRight(), ctes, scope);
            if (join.getConditionType() == JoinConditionType.USING && join.getCondition() instanceof SqlNodeList using) {
                for (String name : names(using)) {
                    scope.usingColumns.add(Relation.key(name));
                }
            } else if (join.isNatural()) {
                naturalKeys(scope, before);
            } else {
                expression(join.getCondition(), ctes, scope);
            }
            return;
        }
        String alias = null;
        List<String> columnAliases = List.of();
        SqlNode source = node;
        if (node.getKind() == SqlKind.AS) {
            List<SqlNode> operands = ((SqlCall) node).getOperandList();
            source = operands.get(0);
            alias = ((SqlIdentifier) operands.get(1)).getSimple();
            columnAliases = names(operands.subList(2, operands.size()));
        }
        TableName table = null;
        Relation relation;
        if (source.getKind() == SqlKind.TABLESAMPLE || source.getKind() == SqlKind.SNAPSHOT) {
            source = ((SqlCall) source).getOperandList().get(0);
        }
        if (source instanceof SqlIdentifier id) {
            table = new TableName(id.names);
            relation = tableRelation(table, id.getParserPosition(), ctes);
        } else if (source.getKind() == SqlKind.LATERAL) {
            relation = query(((SqlCall) source).getOperandList().get(0), ctes, scope);
        } else if (isQuery(source)) {
            // Derived tables get the FROM items so far as outer scope, which LATERAL needs.
            relation = query(source, ctes, scope);
        } else {
            // Table functions, UNNEST, PIVOT...: shape unknown, but subqueries inside still read tables.
            expression(source, ctes, scope);
            relation = Relation.opaque();
        }
        relation = relation.renamed(columnAliases);
        scope.items.add(new FromItem(alias != null ? alias : table != null ? table.table() : null,
                table, alias != null, relation));
    }

    private Relation tableRelation(TableName table, SqlParserPos pos, CteScope ctes) {
        if (table.parts().size() == 1) {
            Optional<Relation> cte = ctes.find(table.table());
            if (cte.isPresent()) {
                return cte.get();
            }
        }
        tableRefs.add(Map.entry(table, pos));
        Optional<List<String>> columns = columnCache.computeIfAbsent(table, t -> {
            Optional<List<String>> known = knownColumns.apply(t);
            return known == null ? Optional.empty() : known;
        });
        return columns.map(names -> Relation.ofTable(table, names)).orElseGet(() -> Relation.unknownTable(table));
    }

    /** NATURAL JOIN keys are the listed columns the new item shares with the earlier ones. */
    private static void naturalKeys(ColumnScope scope, int firstRight) {
        for (int r = firstRight; r < scope.items.size(); r++) {
            for (OutputColumn column : scope.items.get(r).relation().columns()) {
                for (int l = 0; l < firstRight; l++) {
                    if (scope.items.get(l).relation().listed(column.name()).isPresent()) {
                        scope.usingColumns.add(Relation.key(column.name()));
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- expressions

    private void expressions(SqlNodeList list, CteScope ctes, ColumnScope scope) {
        if (list != null) {
            for (SqlNode node : list) {
                expression(node, ctes, scope);
            }
        }
    }

    /** Upstream columns an expression reads; records tables of subqueries inside it. */
    Set<ColumnSource> expression(SqlNode node, CteScope ctes, ColumnScope scope) {
        Set<ColumnSource> sources = new LinkedHashSet<>();
        collect(node, ctes, scope, sources);
        return sources;
    }

    /**
     * Walks an expression with an explicit stack: long generated chains ("a or b or c ...", string
     * concatenations) nest one call per operator. Children are pushed in reverse so sources keep textual order.
     */
    private void collect(SqlNode root, CteScope ctes, ColumnScope scope, Set<ColumnSource> out) {
        Deque<SqlNode> todo = new ArrayDeque<>();
        pushIfPresent(todo, root);
        while (!todo.isEmpty()) {
            SqlNode node = todo.pop();
            if (node instanceof SqlIdentifier id) {
                if (!id.isStar() && scope != null && !isNiladicFunction(id)) {
                    scope.resolve(id.names).ifPresent(out::addAll);
                }
                continue;
            }
            if (node instanceof SqlNodeList list) {
                pushAll(todo, list.getList());
                continue;
            }
            if (!(node instanceof SqlCall call)) {
                continue; // literals, data types, interval qualifiers
            }
            if (isQuery(call)) {
                // A scalar/IN/EXISTS subquery: its result feeds this expression.
                for (OutputColumn column : query(call, ctes, scope).columns()) {
                    out.addAll(column.sources());
                }
                continue;
            }
            if (call instanceof SqlWindow window) {
                List<SqlNode> parts = new ArrayList<>();
                parts.add(window.getPartitionList());
                parts.add(window.getOrderList());
                parts.add(window.getLowerBound());
                parts.add(window.getUpperBound());
                pushAll(todo, parts);
                continue;
            }
            List<SqlNode> operands = call.getOperandList();
            switch (call.getKind()) {
                case AS -> pushIfPresent(todo, operands.get(0)); // the alias is not a column
                case OVER -> {
                    if (!(operands.get(1) instanceof SqlIdentifier)) { // "over w" names a window, not a column
                        pushIfPresent(todo, operands.get(1));
                    }
                    pushIfPresent(todo, operands.get(0));
                }
                default -> pushAll(todo, operands);
            }
        }
    }

    private static void pushAll(Deque<SqlNode> todo, List<SqlNode> nodes) {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            pushIfPresent(todo, nodes.get(i));
        }
    }

    private static void pushIfPresent(Deque<SqlNode> todo, SqlNode node) {
        if (node != null) {
            todo.push(node); // ArrayDeque takes no nulls; absent clauses and operands are common
        }
    }

    /**
     * The parser leaves {@code current_date} and friends as plain identifiers (the validator would turn
     * them into calls); they are not columns.
     */
    private static boolean isNiladicFunction(SqlIdentifier id) {
        return id.names.size() == 1 && !id.isComponentQuoted(0)
                && NILADIC_FUNCTIONS.contains(id.getSimple().toLowerCase(Locale.ROOT));
    }

    private static List<String> names(Iterable<SqlNode> nodes) {
        List<String> names = new ArrayList<>();
        if (nodes != null) {
            for (SqlNode node : nodes) {
                if (node instanceof SqlIdentifier id) {
                    names.add(id.getSimple());
                }
            }
        }
        return names;
    }
}

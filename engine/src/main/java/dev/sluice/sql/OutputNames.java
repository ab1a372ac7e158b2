package dev.sluice.sql;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;

import java.util.List;
import java.util.Locale;

/**
 * Names of select-list items. Explicit aliases and column references keep their name. Unaliased
 * expressions have no portable name (DuckDB uses the expression text, PostgreSQL the function name or
 * {@code ?column?}), so we pick a PostgreSQL-like, identifier-safe one:
 * <ul>
 *   <li>function or aggregate call: its lowercase name ({@code coalesce(a, b)} -> {@code coalesce});
 *       a star argument adds {@code _star} ({@code count(*)} -> {@code count_star})</li>
 *   <li>{@code FILTER}, {@code OVER}, {@code WITHIN GROUP}: the name of the wrapped call</li>
 *   <li>casts ({@code x::date}, {@code cast(x as date)}): the name of the cast value, or the lowercase
 *       type name when that value is not a column ({@code '2024-01-01'::timestamp} -> {@code timestamp})</li>
 *   <li>{@code CASE}: {@code case}</li>
 *   <li>anything else (operators, literals, subqueries): {@code expr_<n>}, n the 1-based position</li>
 * </ul>
 */
final class OutputNames {

    private OutputNames() {
    }

    static String of(SqlNode item, int index) {
        if (item.getKind() == SqlKind.AS) {
            return ((SqlIdentifier) ((SqlCall) item).getOperandList().get(1)).getSimple();
        }
        String derived = derive(item);
        return derived != null ? derived : "expr_" + (index + 1);
    }

    private static String derive(SqlNode node) {
        if (node instanceof SqlIdentifier id) {
            return id.names.get(id.names.size() - 1);
        }
        if (!(node instanceof SqlCall call)) {
            return null;
        }
        List<SqlNode> operands = call.getOperandList();
        switch (call.getKind()) {
            case CAST:
                String inner = derive(operands.get(0));
                if (inner != null || operands.size() < 2 || !(operands.get(1) instanceof SqlDataTypeSpec type)) {
                    return inner;
                }
                return lower(type.getTypeName().names.get(type.getTypeName().names.size() - 1));
            case FILTER, OVER, WITHIN_GROUP, RESPECT_NULLS, IGNORE_NULLS:
                return derive(operands.get(0));
            case CASE:
                return "case";
            default:
                break;
        }
        if (call.getOperator() instanceof SqlFunction) {
            String name = lower(call.getOperator().getName());
            boolean star = operands.size() == 1 && operands.get(0) instanceof SqlIdentifier id && id.isStar();
            return star ? name + "_star" : name;
        }
        return null;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}

package dev.sluice.template;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Python's binary arithmetic on template values: what +, -, *, /, //, %, ** and ~ do in Jinja. */
final class PyOps {

    private PyOps() {
    }

    static Object apply(String op, Object a, Object b) {
        if (op.equals("~")) return Values.str(a) + Values.str(b);
        if (op.equals("%") && a instanceof CharSequence s) return PyFormat.percent(s.toString(), b);
        if (a instanceof PyDates.Arith x) {
            Object r = x.binary(op, b, false);
            if (r != null) return r;
        }
        if (b instanceof PyDates.Arith y) {
            Object r = y.binary(op, a, true);
            if (r != null) return r;
        }
        if (op.equals("+")) {
            if (a instanceof CharSequence x && b instanceof CharSequence y) return x.toString() + y;
            if (a instanceof Collection<?> x && b instanceof Collection<?> y) {
                List<Object> out = new ArrayList<>(x);
                out.addAll(y);
                return out;
            }
        }
        if (op.equals("*")) {
            if (a instanceof CharSequence s && isInt(b)) return s.toString().repeat((int) Math.max(0, ((Number) b).longValue()));
            if (b instanceof CharSequence s && isInt(a)) return s.toString().repeat((int) Math.max(0, ((Number) a).longValue()));
            if (a instanceof Collection<?> l && isInt(b)) {
                List<Object> out = new ArrayList<>();
                for (long k = 0; k < ((Number) b).longValue(); k++) out.addAll(l);
                return out;
            }
        }
        Number x = number(op, a, b, a);
        Number y = number(op, a, b, b);
        boolean ints = isInt(x) && isInt(y);
        switch (op) {
            case "+":
                return ints ? (Object) Math.addExact(x.longValue(), y.longValue()) : big(x).add(big(y)).doubleValue();
            case "-":
                return ints ? (Object) Math.subtractExact(x.longValue(), y.longValue()) : big(x).subtract(big(y)).doubleValue();
            case "*":
                return ints ? (Object) Math.multiplyExact(x.longValue(), y.longValue()) : x.doubleValue() * y.doubleValue();
            case "/":
                if (y.doubleValue() == 0) throw new ArithmeticException("division by zero");
                return x.doubleValue() / y.doubleValue();
            case "//":
                if (y.doubleValue() == 0) throw new ArithmeticException("integer division or modulo by zero");
                return ints ? (Object) Math.floorDiv(x.longValue(), y.longValue()) : Math.floor(x.doubleValue() / y.doubleValue());
            case "%":
                if (y.doubleValue() == 0) throw new ArithmeticException("integer division or modulo by zero");
                if (ints) return Math.floorMod(x.longValue(), y.longValue());
                double r = x.doubleValue() % y.doubleValue();
                return r != 0 && (r < 0) != (y.doubleValue() < 0) ? r + y.doubleValue() : r;
            case "**":
                if (ints && y.longValue() >= 0) return big(x).pow((int) y.longValue()).longValueExact();
                return Math.pow(x.doubleValue(), y.doubleValue());
            default:
                throw new IllegalArgumentException("unknown operator " + op);
        }
    }

    private static boolean isInt(Object v) {
        return v instanceof Number n && Values.isIntegral(n);
    }

    private static BigDecimal big(Number n) {
        return new BigDecimal(n.toString());
    }

    private static Number number(String op, Object a, Object b, Object v) {
        if (v instanceof Boolean bool) return bool ? 1L : 0L;
        if (v instanceof Number n) return n;
        throw new IllegalArgumentException("unsupported operand type(s) for " + op + ": '" + Values.typeName(a)
                + "' and '" + Values.typeName(b) + "'");
    }
}

package dev.sluice.template;

import io.pebbletemplates.pebble.attributes.AttributeResolver;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.core.DefaultFilter;
import io.pebbletemplates.pebble.extension.core.DefinedTest;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.extension.Test;
import io.pebbletemplates.pebble.lexer.Token;
import io.pebbletemplates.pebble.lexer.TokenStream;
import io.pebbletemplates.pebble.node.BodyNode;
import io.pebbletemplates.pebble.node.RenderableNode;
import io.pebbletemplates.pebble.node.expression.BinaryExpression;
import io.pebbletemplates.pebble.node.expression.UnaryExpression;
import io.pebbletemplates.pebble.operator.Associativity;
import io.pebbletemplates.pebble.operator.BinaryOperator;
import io.pebbletemplates.pebble.operator.BinaryOperatorImpl;
import io.pebbletemplates.pebble.operator.BinaryOperatorType;
import io.pebbletemplates.pebble.operator.UnaryOperator;
import io.pebbletemplates.pebble.operator.UnaryOperatorImpl;
import io.pebbletemplates.pebble.parser.Parser;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import io.pebbletemplates.pebble.tokenParser.TokenParser;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Pebble side of the Jinja dialect: the helper functions JinjaTranslator emits, Jinja's
 * operators (in, not in, and/or returning operands, low-precedence not), tests, filters, the
 * block form of set, and Python-style methods on strings, dicts and lists.
 */
final class JinjaExtension extends AbstractExtension {

    private final JinjaRuntime runtime;

    JinjaExtension(JinjaRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Map<String, Function> getFunctions() {
        Map<String, Function> f = new HashMap<>();
        f.put("__call", (VarArgsFunction) (args, ctx, line) -> {
            String name = String.valueOf(args.get(0));
            CallArgs c = callArgs(args.subList(1, args.size()), line);
            return runtime.call(name, ctx.getVariable(name), c.positional(), c.kwargs(), frame(ctx), line);
        });
        // The call a {% call %} block wraps: the same, plus the block's body as `caller`.
        f.put("__callblock", (VarArgsFunction) (args, ctx, line) -> {
            String name = String.valueOf(args.get(0));
            CallArgs c = callArgs(args.subList(1, args.size()), line);
            Map<String, Object> kwargs = new LinkedHashMap<>(c.kwargs());
            kwargs.put("caller", ctx.getVariable(JinjaTags.CALLER_SLOT));
            return runtime.call(name, ctx.getVariable(name), c.positional(), kwargs, frame(ctx), line);
        });
        // Calling what an expression gives: f(x)(y), adapter.dispatch('m')(args).
        f.put("__invoke", (VarArgsFunction) (args, ctx, line) -> {
            Object callee = args.get(0);
            if (callee instanceof MacroRef ref) {
                CallArgs c = callArgs(args.subList(1, args.size()), line);
                return runtime.invoke(ref.macro(), c.positional(), c.kwargs(), frame(ctx), line);
            }
            if (!(callee instanceof TemplateFunction fn)) {
                throw new PebbleException(null, "'" + Values.typeName(callee) + "' object is not callable", line, null);
            }
            CallArgs c = callArgs(args.subList(1, args.size()), line);
            return runtime.call(String.valueOf(callee), fn, c.positional(), c.kwargs(), frame(ctx), line);
        });
        f.put("__slice", (VarArgsFunction) (args, ctx, line) -> JinjaAttributes.slice(args.get(0), args.subList(1, args.size())));
        f.put("__getitem", (VarArgsFunction) (args, ctx, line) -> JinjaAttributes.getItem(args.get(0), args.get(1), line));
        f.put("__splat", (VarArgsFunction) (args, ctx, line) -> new CallArgs.Splat(args.get(0)));
        f.put("__kwsplat", (VarArgsFunction) (args, ctx, line) -> new CallArgs.KwSplat(args.get(0)));
        f.put("__params", (VarArgsFunction) (args, ctx, line) -> new ArrayList<>(args));
        f.put("__setattr", (VarArgsFunction) (args, ctx, line) -> {
            if (!(args.get(0) instanceof Namespace ns)) {
                throw new PebbleException(null, "cannot assign attribute on a " + Values.typeName(args.get(0))
                        + " object: only namespace() objects take {% set x.attr = ... %}", line, null);
            }
            ns.put(String.valueOf(args.get(1)), args.get(2));
            return null;
        });
        f.put("__kw", (VarArgsFunction) (args, ctx, line) -> new KwArg(String.valueOf(args.get(0)), args.get(1)));
        f.put("__item", (VarArgsFunction) (args, ctx, line) -> item(args.get(0), ((Number) args.get(1)).intValue()));
        f.put("__str", (VarArgsFunction) (args, ctx, line) -> JinjaTranslator.decodeLiteral(String.valueOf(args.get(0))));
        f.put("__dict", (VarArgsFunction) (args, ctx, line) -> {
            Map<Object, Object> m = new LinkedHashMap<>();
            for (int k = 0; k + 1 < args.size(); k += 2) m.put(args.get(k), args.get(k + 1));
            return m;
        });
        // A name the template assigns only on some paths: its value where it is set, else Jinja's Undefined.
        f.put("__var", (VarArgsFunction) (args, ctx, line) -> {
            String name = String.valueOf(args.get(0));
            io.pebbletemplates.pebble.template.ScopeChain scopes =
                    ((io.pebbletemplates.pebble.template.EvaluationContextImpl) ctx).getScopeChain();
            return scopes.containsKey(name) ? scopes.get(name) : new Undefined(name);
        });
        f.put("__p", (VarArgsFunction) (args, ctx, line) -> {
            // Parsing (execute false) prints it empty as dbt does: macros print query results that only exist later.
            if (args.get(0) instanceof Undefined u && u.error() != null && !Boolean.FALSE.equals(ctx.getVariable("execute"))) {
                throw new PebbleException(null, u.error(), line, null);
            }
            return Values.str(args.get(0));
        });
        f.put("__b", (VarArgsFunction) (args, ctx, line) -> Values.truthy(args.get(0)));
        return f;
    }

    private static CallArgs callArgs(List<Object> raw, int line) {
        try {
            return CallArgs.of(raw);
        } catch (IllegalArgumentException e) {
            throw new PebbleException(null, e.getMessage(), line, null);
        }
    }

    static Frame frame(EvaluationContext ctx) {
        return (Frame) ctx.getVariable(Frame.VARIABLE);
    }

    private static Object item(Object v, int k) {
        if (v instanceof Map.Entry<?, ?> e) return k == 0 ? e.getKey() : e.getValue();
        List<Object> l = Values.toList(v);
        return k < l.size() ? l.get(k) : null;
    }

    @Override
    public Map<String, Filter> getFilters() {
        Map<String, Filter> f = new HashMap<>(JinjaFilters.all());
        // Pebble lets only its DefaultFilter see an undefined value without failing, so ours extends it.
        for (String name : List.of("default", "d")) f.put(name, new UndefinedTolerantFilter(f.get(name)));
        return f;
    }

    static final class UndefinedTolerantFilter extends DefaultFilter {
        private final Filter body;

        UndefinedTolerantFilter(Filter body) {
            this.body = body;
        }

        @Override
        public List<String> getArgumentNames() {
            return body.getArgumentNames();
        }

        @Override
        public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext ctx, int line) {
            return body.apply(input, args, self, ctx, line);
        }
    }

    /** `x is undefined`; like Pebble's DefinedTest, it may look at a name that does not exist. */
    static final class UndefinedTest extends DefinedTest {
        @Override
        public boolean apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext ctx, int line) {
            return input == null || input instanceof Undefined;
        }
    }

    /** `x is defined`: false for a missing name (Pebble's own handling), for none, and for Jinja's Undefined. */
    static final class JinjaDefinedTest extends DefinedTest {
        @Override
        public boolean apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext ctx, int line) {
            return input != null && !(input instanceof Undefined);
        }
    }

    @Override
    public Map<String, Test> getTests() {
        Map<String, Test> t = new HashMap<>();
        t.put("none", (SimpleTest) v -> v == null);
        t.put("undefined", new UndefinedTest());
        t.put("defined", new JinjaDefinedTest());
        t.put("iterable", (SimpleTest) v -> v instanceof Iterable<?> || v instanceof Map<?, ?> || v instanceof CharSequence
                || (v != null && v.getClass().isArray()));
        t.put("integer", (SimpleTest) v -> v instanceof Number n && Values.isIntegral(n));
        t.put("float", (SimpleTest) v -> v instanceof Double || v instanceof Float || v instanceof java.math.BigDecimal);
        t.put("true", (SimpleTest) v -> Boolean.TRUE.equals(v));
        t.put("false", (SimpleTest) v -> Boolean.FALSE.equals(v));
        t.put("callable", (SimpleTest) v -> v instanceof TemplateFunction);
        t.put("lower", (SimpleTest) v -> v instanceof CharSequence s && s.toString().equals(s.toString().toLowerCase()));
        t.put("upper", (SimpleTest) v -> v instanceof CharSequence s && s.toString().equals(s.toString().toUpperCase()));
        t.put("divisibleby", (ArgTest) (v, o) -> Values.toNumber(v, 0L).longValue() % Values.toNumber(o, 1L).longValue() == 0);
        t.put("eq", (ArgTest) Values::equal);
        t.put("equalto", (ArgTest) Values::equal);
        t.put("sameas", (ArgTest) (v, o) -> v == o || Values.equal(v, o) && (v == null || v instanceof Boolean));
        t.put("ne", (ArgTest) (v, o) -> !Values.equal(v, o));
        t.put("in", (ArgTest) (v, o) -> Values.contains(o, v));
        t.put("lt", (ArgTest) (v, o) -> Values.compare(v, o) < 0);
        t.put("le", (ArgTest) (v, o) -> Values.compare(v, o) <= 0);
        t.put("gt", (ArgTest) (v, o) -> Values.compare(v, o) > 0);
        t.put("ge", (ArgTest) (v, o) -> Values.compare(v, o) >= 0);
        t.put("string", (SimpleTest) v -> v instanceof CharSequence);
        t.put("number", (SimpleTest) v -> v instanceof Number);
        t.put("boolean", (SimpleTest) v -> v instanceof Boolean);
        t.put("mapping", (SimpleTest) v -> v instanceof Map || (v instanceof JinjaObject o && o.isMapping()));
        t.put("sequence", (SimpleTest) v -> v instanceof Collection || v instanceof CharSequence
                || (v != null && v.getClass().isArray()));
        return t;
    }

    @Override
    public List<BinaryOperator> getBinaryOperators() {
        return List.of(
                new BinaryOperatorImpl("__in", 30, InExpression::new, BinaryOperatorType.NORMAL, Associativity.LEFT),
                new BinaryOperatorImpl("__notin", 30, NotInExpression::new, BinaryOperatorType.NORMAL, Associativity.LEFT),
                new BinaryOperatorImpl("or", 10, OrExpression::new, BinaryOperatorType.NORMAL, Associativity.LEFT),
                new BinaryOperatorImpl("and", 15, AndExpression::new, BinaryOperatorType.NORMAL, Associativity.LEFT),
                // Python arithmetic: true division, floor division, power, % formatting, list and string + and *.
                new BinaryOperatorImpl("+", 40, () -> new Arith("+"), BinaryOperatorType.NORMAL, Associativity.LEFT),
                new BinaryOperatorImpl("-", 40, () -> new Arith("-"), BinaryOperatorType.NORMAL, Associativity.LEFT),
                new BinaryOperatorImpl("*", 60, () -> new Arith("*"), BinaryOperatorType.NORMAL, Associativity.LEFT),
                new BinaryOperatorImpl("/", 60, () -> new Arith("/"), BinaryOperatorType.NORMAL, Associativity.LEFT),
                new BinaryOperatorImpl("//", 60, () -> new Arith("//"), BinaryOperatorType.NORMAL, Associativity.LEFT),
                new BinaryOperatorImpl("%", 60, () -> new Arith("%"), BinaryOperatorType.NORMAL, Associativity.LEFT),
                // Jinja's ~ binds looser than filters and * but tighter than +; Pebble's binds tighter than filters.
                new BinaryOperatorImpl("~", 50, () -> new Arith("~"), BinaryOperatorType.NORMAL, Associativity.LEFT),
                new BinaryOperatorImpl("**", 70, () -> new Arith("**"), BinaryOperatorType.NORMAL, Associativity.RIGHT));
    }

    @Override
    public List<UnaryOperator> getUnaryOperators() {
        // Jinja's `not` binds looser than comparisons: not a in b == not (a in b).
        return List.of(new UnaryOperatorImpl("not", 17, NotExpression.class));
    }

    @Override
    public List<TokenParser> getTokenParsers() {
        List<TokenParser> p = new ArrayList<>(JinjaTags.parsers());
        p.add(new SetBlockParser());
        return p;
    }

    @Override
    public List<AttributeResolver> getAttributeResolver() {
        return List.of(new JinjaAttributes(runtime));
    }

    // ---- function/test adapters --------------------------------------------------------------

    /** A function taking positional arguments only (Pebble passes them as "0", "1", ...). */
    @FunctionalInterface
    interface VarArgsFunction extends Function {
        Object apply(List<Object> args, EvaluationContext ctx, int line);

        @Override
        default Object execute(Map<String, Object> args, PebbleTemplate self, EvaluationContext ctx, int line) {
            List<Object> list = new ArrayList<>(args.size());
            for (int k = 0; k < args.size(); k++) list.add(args.get(String.valueOf(k)));
            return apply(list, ctx, line);
        }

        @Override
        default List<String> getArgumentNames() {
            return null;
        }
    }

    /** A test with one argument: `x is divisibleby 3`, `x is eq(y)`. */
    @FunctionalInterface
    interface ArgTest extends Test {
        boolean test(Object v, Object other);

        @Override
        default boolean apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext ctx, int line) {
            return test(input, args.get("0"));
        }

        @Override
        default List<String> getArgumentNames() {
            return null;
        }
    }

    @FunctionalInterface
    interface SimpleTest extends Test {
        boolean test(Object v);

        @Override
        default boolean apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext ctx, int line) {
            return test(input);
        }

        @Override
        default List<String> getArgumentNames() {
            return null;
        }
    }

    // ---- operators ---------------------------------------------------------------------------

    public static final class InExpression extends BinaryExpression<Object> {
        @Override
        public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl ctx) {
            Object needle = getLeftExpression().evaluate(self, ctx);
            return Values.contains(getRightExpression().evaluate(self, ctx), needle);
        }
    }

    public static final class NotInExpression extends BinaryExpression<Object> {
        @Override
        public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl ctx) {
            Object needle = getLeftExpression().evaluate(self, ctx);
            return !Values.contains(getRightExpression().evaluate(self, ctx), needle);
        }
    }

    /** Python's or: the first truthy operand, else the last. */
    public static final class OrExpression extends BinaryExpression<Object> {
        @Override
        public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl ctx) {
            Object left = getLeftExpression().evaluate(self, ctx);
            return Values.truthy(left) ? left : getRightExpression().evaluate(self, ctx);
        }
    }

    /** Python's and: the first falsy operand, else the last. */
    public static final class AndExpression extends BinaryExpression<Object> {
        @Override
        public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl ctx) {
            Object left = getLeftExpression().evaluate(self, ctx);
            return !Values.truthy(left) ? left : getRightExpression().evaluate(self, ctx);
        }
    }

    /** Python's arithmetic operators over the values templates hold. */
    public static final class Arith extends BinaryExpression<Object> {
        private final String op;

        Arith(String op) {
            this.op = op;
        }

        @Override
        public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl ctx) {
            Object a = getLeftExpression().evaluate(self, ctx);
            Object b = getRightExpression().evaluate(self, ctx);
            try {
                return PyOps.apply(op, a, b);
            } catch (ArithmeticException | IllegalArgumentException e) {
                throw new PebbleException(e, e.getMessage(), getLineNumber(), self.getName());
            }
        }
    }

    public static final class NotExpression extends UnaryExpression {
        @Override
        public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl ctx) {
            return !Values.truthy(getChildExpression().evaluate(self, ctx));
        }
    }

    // ---- {% set x %}...{% endset %} ----------------------------------------------------------

    /** JinjaTranslator renames the block form of set to setblock/endsetblock. */
    static final class SetBlockParser extends JinjaTags.TagParser {
        SetBlockParser() {
            super("setblock");
        }

        @Override
        RenderableNode parseAfterName(Parser parser, TokenStream stream, int line) {
            String name = parser.getExpressionParser().parseNewVariableName();
            stream.expect(Token.Type.EXECUTE_END);
            BodyNode body = parser.subparse(t -> t.test(Token.Type.NAME, "endsetblock"));
            stream.next();
            stream.expect(Token.Type.EXECUTE_END);
            return JinjaTags.node(line, (self, writer, ctx) -> {
                StringWriter captured = new StringWriter();
                body.render(self, captured, ctx);
                ctx.getScopeChain().put(name, captured.toString());
            });
        }
    }
}

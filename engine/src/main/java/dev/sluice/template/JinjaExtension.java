package dev.sluice.template;

import io.pebbletemplates.pebble.attributes.AttributeResolver;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.extension.NodeVisitor;
import io.pebbletemplates.pebble.extension.Test;
import io.pebbletemplates.pebble.lexer.Token;
import io.pebbletemplates.pebble.lexer.TokenStream;
import io.pebbletemplates.pebble.node.AbstractRenderableNode;
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
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
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
            List<Object> positional = new ArrayList<>();
            Map<String, Object> kwargs = new LinkedHashMap<>();
            for (Object a : args.subList(1, args.size())) {
                if (a instanceof KwArg kw) kwargs.put(kw.name(), kw.value());
                else positional.add(a);
            }
            return runtime.call(name, ctx.getVariable(name), positional, kwargs, frame(ctx), line);
        });
        f.put("__kw", (VarArgsFunction) (args, ctx, line) -> new KwArg(String.valueOf(args.get(0)), args.get(1)));
        f.put("__item", (VarArgsFunction) (args, ctx, line) -> item(args.get(0), ((Number) args.get(1)).intValue()));
        f.put("__str", (VarArgsFunction) (args, ctx, line) -> JinjaTranslator.decodeLiteral(String.valueOf(args.get(0))));
        f.put("__dict", (VarArgsFunction) (args, ctx, line) -> {
            Map<Object, Object> m = new LinkedHashMap<>();
            for (int k = 0; k + 1 < args.size(); k += 2) m.put(args.get(k), args.get(k + 1));
            return m;
        });
        f.put("__p", (VarArgsFunction) (args, ctx, line) -> Values.str(args.get(0)));
        f.put("__b", (VarArgsFunction) (args, ctx, line) -> Values.truthy(args.get(0)));
        return f;
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
        return JinjaFilters.all();
    }

    @Override
    public Map<String, Test> getTests() {
        Map<String, Test> t = new HashMap<>();
        t.put("none", (SimpleTest) v -> v == null);
        t.put("undefined", (SimpleTest) v -> v == null);
        t.put("string", (SimpleTest) v -> v instanceof CharSequence);
        t.put("number", (SimpleTest) v -> v instanceof Number);
        t.put("boolean", (SimpleTest) v -> v instanceof Boolean);
        t.put("mapping", (SimpleTest) v -> v instanceof Map);
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
                new BinaryOperatorImpl("and", 15, AndExpression::new, BinaryOperatorType.NORMAL, Associativity.LEFT));
    }

    @Override
    public List<UnaryOperator> getUnaryOperators() {
        // Jinja's `not` binds looser than comparisons: not a in b == not (a in b).
        return List.of(new UnaryOperatorImpl("not", 17, NotExpression.class));
    }

    @Override
    public List<TokenParser> getTokenParsers() {
        return List.of(new SetBlockParser());
    }

    @Override
    public List<AttributeResolver> getAttributeResolver() {
        return List.of(new JinjaAttributes());
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

    public static final class NotExpression extends UnaryExpression {
        @Override
        public Object evaluate(PebbleTemplateImpl self, EvaluationContextImpl ctx) {
            return !Values.truthy(getChildExpression().evaluate(self, ctx));
        }
    }

    // ---- {% set x %}...{% endset %} ----------------------------------------------------------

    /** JinjaTranslator renames the block form of set to setblock/endsetblock. */
    static final class SetBlockParser implements TokenParser {
        @Override
        public String getTag() {
            return "setblock";
        }

        @Override
        public RenderableNode parse(Token token, Parser parser) {
            TokenStream stream = parser.getStream();
            int line = token.getLineNumber();
            stream.next();
            String name = parser.getExpressionParser().parseNewVariableName();
            stream.expect(Token.Type.EXECUTE_END);
            BodyNode body = parser.subparse(t -> t.test(Token.Type.NAME, "endsetblock"));
            stream.next();
            stream.expect(Token.Type.EXECUTE_END);
            return new SetBlockNode(line, name, body);
        }
    }

    static final class SetBlockNode extends AbstractRenderableNode {
        private final String name;
        private final BodyNode body;

        SetBlockNode(int line, String name, BodyNode body) {
            super(line);
            this.name = name;
            this.body = body;
        }

        @Override
        public void render(PebbleTemplateImpl self, Writer writer, EvaluationContextImpl ctx) throws IOException {
            StringWriter captured = new StringWriter();
            body.render(self, captured, ctx);
            ctx.getScopeChain().set(name, captured.toString());
        }

        @Override
        public void accept(NodeVisitor visitor) {
            visitor.visit(this);
        }
    }
}

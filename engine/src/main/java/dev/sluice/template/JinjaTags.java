package dev.sluice.template;

import io.pebbletemplates.pebble.error.ParserException;
import io.pebbletemplates.pebble.extension.NodeVisitor;
import io.pebbletemplates.pebble.lexer.Token;
import io.pebbletemplates.pebble.lexer.TokenStream;
import io.pebbletemplates.pebble.node.AbstractRenderableNode;
import io.pebbletemplates.pebble.node.BodyNode;
import io.pebbletemplates.pebble.node.RenderableNode;
import io.pebbletemplates.pebble.node.expression.Expression;
import io.pebbletemplates.pebble.parser.Parser;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import io.pebbletemplates.pebble.template.ScopeChain;
import io.pebbletemplates.pebble.tokenParser.TokenParser;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Jinja's statement tags as Pebble tag parsers, replacing Pebble's namesakes where the semantics differ:
 * for (several targets, loop filters, Jinja's loop object, break/continue, dicts iterate their keys),
 * set (binds in the current scope, so a set inside a loop does not leak out, as in Jinja), do, and
 * call blocks with caller().
 */
final class JinjaTags {

    private JinjaTags() {
    }

    static List<TokenParser> parsers() {
        return List.of(new ForParser(), new SetParser(), new DoParser(), new CallParser(), new WithParser(),
                new LoopControlParser("break"), new LoopControlParser("continue"));
    }

    /** A tag's parser, given the tokens after the tag's name. */
    abstract static class TagParser implements TokenParser {
        private final String tag;

        TagParser(String tag) {
            this.tag = tag;
        }

        @Override
        public final String getTag() {
            return tag;
        }

        @Override
        public final RenderableNode parse(Token token, Parser parser) {
            TokenStream stream = parser.getStream();
            stream.next();
            return parseAfterName(parser, stream, token.getLineNumber());
        }

        /** @param line the tag's line, for errors and the node */
        abstract RenderableNode parseAfterName(Parser parser, TokenStream stream, int line);
    }

    /** What a tag does when its template renders. */
    @FunctionalInterface
    interface Rendering {
        void render(PebbleTemplateImpl self, Writer writer, EvaluationContextImpl ctx) throws IOException;
    }

    /** A node that renders as {@code rendering} says; visitors see it as one node, as Pebble's own tags. */
    static RenderableNode node(int line, Rendering rendering) {
        return new AbstractRenderableNode(line) {
            @Override
            public void render(PebbleTemplateImpl self, Writer writer, EvaluationContextImpl ctx) throws IOException {
                rendering.render(self, writer, ctx);
            }

            @Override
            public void accept(NodeVisitor visitor) {
                visitor.visit(this);
            }
        };
    }

    /** After a block's body: its end tag, or an error naming the tag left open at the end of the file. */
    private static void endOf(String tag, String end, TokenStream stream, int line) {
        if (stream.current().getValue() == null) {
            throw new ParserException(null, "{% " + tag + " %} without {% " + end + " %}", line, stream.getFilename());
        }
        stream.next();
        stream.expect(Token.Type.EXECUTE_END);
    }

    // ---- for ---------------------------------------------------------------------------------

    /** {% for a[, b...] in items [if cond] %}...[{% else %}...]{% endfor %} */
    static final class ForParser extends TagParser {
        ForParser() {
            super("for");
        }

        @Override
        RenderableNode parseAfterName(Parser parser, TokenStream stream, int line) {
            List<String> targets = new ArrayList<>();
            targets.add(parser.getExpressionParser().parseNewVariableName());
            while (stream.current().test(Token.Type.PUNCTUATION, ",")) {
                stream.next();
                targets.add(parser.getExpressionParser().parseNewVariableName());
            }
            stream.expect(Token.Type.NAME, "in");
            Expression<?> items = parser.getExpressionParser().parseExpression();
            Expression<?> filter = null;
            if (stream.current().test(Token.Type.NAME, "if")) {
                stream.next();
                filter = parser.getExpressionParser().parseExpression();
            }
            stream.expect(Token.Type.EXECUTE_END);
            BodyNode body = parser.subparse(t -> t.test(Token.Type.NAME, "else", "endfor"));
            BodyNode elseBody = null;
            if (stream.current().test(Token.Type.NAME, "else")) {
                stream.next();
                stream.expect(Token.Type.EXECUTE_END);
                elseBody = parser.subparse(t -> t.test(Token.Type.NAME, "endfor"));
            }
            endOf("for", "endfor", stream, line);
            return new ForNode(line, targets, items, filter, body, elseBody);
        }
    }

    /** Unwinds one iteration ({% continue %}) or the loop ({% break %}). */
    static final class LoopControl extends ParserException {
        final boolean isBreak;

        LoopControl(boolean isBreak, int line) {
            // Only seen by the user when no loop catches it.
            super(null, "{% " + (isBreak ? "break" : "continue") + " %} outside a loop", line, null);
            this.isBreak = isBreak;
        }
    }

    static final class ForNode extends AbstractRenderableNode {
        private final List<String> targets;
        private final Expression<?> items;
        private final Expression<?> filter;
        private final BodyNode body;
        private final BodyNode elseBody;

        ForNode(int line, List<String> targets, Expression<?> items, Expression<?> filter, BodyNode body, BodyNode elseBody) {
            super(line);
            this.targets = targets;
            this.items = items;
            this.filter = filter;
            this.body = body;
            this.elseBody = elseBody;
        }

        @Override
        public void render(PebbleTemplateImpl self, Writer writer, EvaluationContextImpl ctx) throws IOException {
            Object value = items.evaluate(self, ctx);
            if (value != null && !(value instanceof Iterable<?> || value instanceof Map<?, ?>
                    || value.getClass().isArray() || value instanceof CharSequence)) {
                throw new ParserException(null, "'" + Values.typeName(value) + "' object is not iterable",
                        getLineNumber(), self.getName());
            }
            // Jinja iterates a dict's keys and a string's characters.
            List<Object> all = Values.toList(value);
            ScopeChain scopes = ctx.getScopeChain();
            List<Object> kept = all;
            if (filter != null) {
                kept = new ArrayList<>();
                for (Object item : all) {
                    scopes.pushScope();
                    try {
                        bind(scopes, item);
                        if (Values.truthy(filter.evaluate(self, ctx))) kept.add(item);
                    } finally {
                        scopes.popScope();
                    }
                }
            }
            if (kept.isEmpty()) {
                if (elseBody != null) elseBody.render(self, writer, ctx);
                return;
            }
            JinjaLoop loop = new JinjaLoop(kept);
            for (int k = 0; k < kept.size(); k++) {
                loop.index0 = k;
                scopes.pushScope();
                try {
                    scopes.put("loop", loop);
                    bind(scopes, kept.get(k));
                    body.render(self, writer, ctx);
                } catch (LoopControl c) {
                    if (c.isBreak) break;
                } finally {
                    scopes.popScope();
                }
            }
        }

        private void bind(ScopeChain scopes, Object item) {
            if (targets.size() == 1) {
                scopes.put(targets.get(0), item);
                return;
            }
            List<Object> parts = item instanceof Map.Entry<?, ?> e ? List.of(e.getKey(), e.getValue()) : Values.toList(item);
            if (parts.size() != targets.size()) {
                throw new ParserException(null, "cannot unpack " + parts.size() + " values into " + targets.size()
                        + " loop variables", getLineNumber(), null);
            }
            for (int k = 0; k < targets.size(); k++) scopes.put(targets.get(k), parts.get(k));
        }

        @Override
        public void accept(NodeVisitor visitor) {
            visitor.visit(this);
        }
    }

    /** {% break %} and {% continue %} (dbt enables Jinja's loopcontrols extension). */
    static final class LoopControlParser extends TagParser {
        LoopControlParser(String tag) {
            super(tag);
        }

        @Override
        RenderableNode parseAfterName(Parser parser, TokenStream stream, int line) {
            stream.expect(Token.Type.EXECUTE_END);
            boolean isBreak = getTag().equals("break");
            return node(line, (self, writer, ctx) -> {
                throw new LoopControl(isBreak, line);
            });
        }
    }

    // ---- with --------------------------------------------------------------------------------

    /** {% with a = 1, b = x %}...{% endwith %}: names that exist inside the block only. */
    static final class WithParser extends TagParser {
        WithParser() {
            super("with");
        }

        @Override
        RenderableNode parseAfterName(Parser parser, TokenStream stream, int line) {
            List<String> names = new ArrayList<>();
            List<Expression<?>> values = new ArrayList<>();
            while (!stream.current().test(Token.Type.EXECUTE_END)) {
                names.add(parser.getExpressionParser().parseNewVariableName());
                stream.expect(Token.Type.PUNCTUATION, "=");
                values.add(parser.getExpressionParser().parseExpression());
                if (stream.current().test(Token.Type.PUNCTUATION, ",")) stream.next();
            }
            stream.expect(Token.Type.EXECUTE_END);
            BodyNode body = parser.subparse(t -> t.test(Token.Type.NAME, "endwith"));
            endOf("with", "endwith", stream, line);
            return node(line, (self, writer, ctx) -> {
                List<Object> evaluated = new ArrayList<>();
                for (Expression<?> v : values) evaluated.add(v.evaluate(self, ctx)); // in the outer scope, as Jinja does
                ScopeChain scopes = ctx.getScopeChain();
                scopes.pushScope();
                try {
                    for (int k = 0; k < names.size(); k++) scopes.put(names.get(k), evaluated.get(k));
                    body.render(self, writer, ctx);
                } finally {
                    scopes.popScope();
                }
            });
        }
    }

    // ---- set / do ----------------------------------------------------------------------------

    /** {% set name = value %}: Pebble's own set would overwrite a variable of an enclosing loop. */
    static final class SetParser extends TagParser {
        SetParser() {
            super("set");
        }

        @Override
        RenderableNode parseAfterName(Parser parser, TokenStream stream, int line) {
            String name = parser.getExpressionParser().parseNewVariableName();
            stream.expect(Token.Type.PUNCTUATION, "=");
            Expression<?> value = parser.getExpressionParser().parseExpression();
            stream.expect(Token.Type.EXECUTE_END);
            return node(line, (self, writer, ctx) -> ctx.getScopeChain().put(name, value.evaluate(self, ctx)));
        }
    }

    /** {% do expr %}: evaluates for the side effect (list.append, dict.update, namespace assignment). */
    static final class DoParser extends TagParser {
        DoParser() {
            super("do");
        }

        @Override
        RenderableNode parseAfterName(Parser parser, TokenStream stream, int line) {
            Expression<?> value = parser.getExpressionParser().parseExpression();
            stream.expect(Token.Type.EXECUTE_END);
            return node(line, (self, writer, ctx) -> value.evaluate(self, ctx));
        }
    }

    // ---- call --------------------------------------------------------------------------------

    /** Variable through which a call block hands its caller to the __callblock call it wraps. */
    static final String CALLER_SLOT = "__sluice_caller";

    /**
     * JinjaTranslator writes {@code {% call(a, b) m(x) %}} as
     * {@code {% call __params('a', 'b') __callblock('m', x) %}}.
     */
    static final class CallParser extends TagParser {
        CallParser() {
            super("call");
        }

        @Override
        RenderableNode parseAfterName(Parser parser, TokenStream stream, int line) {
            Expression<?> params = parser.getExpressionParser().parseExpression();
            Expression<?> call = parser.getExpressionParser().parseExpression();
            stream.expect(Token.Type.EXECUTE_END);
            BodyNode body = parser.subparse(t -> t.test(Token.Type.NAME, "endcall"));
            endOf("call", "endcall", stream, line);
            return new CallNode(line, params, call, body);
        }
    }

    static final class CallNode extends AbstractRenderableNode {
        private final Expression<?> params;
        private final Expression<?> call;
        private final BodyNode body;

        CallNode(int line, Expression<?> params, Expression<?> call, BodyNode body) {
            super(line);
            this.params = params;
            this.call = call;
            this.body = body;
        }

        @Override
        public void render(PebbleTemplateImpl self, Writer writer, EvaluationContextImpl ctx) throws IOException {
            List<String> names = new ArrayList<>();
            for (Object o : Values.toList(params.evaluate(self, ctx))) names.add(String.valueOf(o));
            ScopeChain scopes = ctx.getScopeChain();
            scopes.pushScope();
            Object result;
            try {
                scopes.put(CALLER_SLOT, new Caller(self, ctx, body, names));
                result = call.evaluate(self, ctx);
            } finally {
                scopes.popScope();
            }
            writer.write(Values.str(result));
        }

        @Override
        public void accept(NodeVisitor visitor) {
            visitor.visit(this);
        }
    }

    /**
     * The body of a call block as the called macro sees it: caller(args) renders the body with the
     * call block's parameters bound, in the scope where the block was written.
     */
    static final class Caller implements TemplateFunction {
        private final PebbleTemplateImpl self;
        private final EvaluationContextImpl ctx;
        private final BodyNode body;
        private final List<String> params;

        Caller(PebbleTemplateImpl self, EvaluationContextImpl ctx, BodyNode body, List<String> params) {
            this.self = self;
            this.ctx = ctx;
            this.body = body;
            this.params = params;
        }

        @Override
        public Object call(List<Object> args, Map<String, Object> kwargs) {
            ScopeChain scopes = ctx.getScopeChain();
            scopes.pushScope();
            try {
                for (int k = 0; k < params.size(); k++) {
                    String p = params.get(k);
                    scopes.put(p, k < args.size() ? args.get(k) : kwargs.get(p));
                }
                StringWriter out = new StringWriter();
                body.render(self, out, ctx);
                return out.toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                scopes.popScope();
            }
        }

        @Override
        public String toString() {
            return "caller";
        }
    }
}

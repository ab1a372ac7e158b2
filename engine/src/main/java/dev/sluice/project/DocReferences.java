package dev.sluice.project;

import dev.sluice.error.CompilationException;
import dev.sluice.error.SourceLocation;
import dev.sluice.template.TemplateEngine;
import dev.sluice.template.TemplateFunction;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Descriptions are Jinja in dbt: {@code {{ doc('orders_status') }}} becomes the text of that {% docs %} block.
 * Rendered once the whole project (and its packages' docs) is loaded; an unknown doc name is an error naming
 * the node and its file.
 */
final class DocReferences {
    private final Map<String, String> docs;
    private final Map<String, SourceLocation> describedAt;
    private final TemplateEngine plain = new TemplateEngine(List.of());

    /** @param describedAt where nodes are described in schema files (their descriptions' location) */
    DocReferences(Map<String, String> docs, Map<String, SourceLocation> describedAt) {
        this.docs = docs;
        this.describedAt = describedAt;
    }

    /** How many descriptions were rendered. */
    long renders() {
        return plain.renders();
    }

    List<Node> nodes(List<Node> nodes) {
        List<Node> out = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            // Most nodes call no doc(): their names and locations are put together only for one that does
            // (for every node of a 10,000-model project that was 2% of the project's loading, on the main thread).
            if (!callsDoc(n.description())
                    && (n.columns() == null || n.columns().stream().noneMatch(c -> callsDoc(c.description())))) {
                out.add(n);
                continue;
            }
            String what = n.type().label() + " '" + n.name() + "'";
            SourceLocation where = describedAt.getOrDefault(n.uniqueId(), SourceLocation.of(n.file()));
            String d = render(n.description(), what, where);
            List<ColumnSpec> cols = columns(n.columns(), what, where);
            if (d.equals(n.description()) && cols.equals(n.columns())) {
                out.add(n);
            } else {
                out.add(new Node(n.uniqueId(), n.type(), n.name(), n.file(), n.fqn(), n.rawCode(), n.config(), d, cols,
                        n.test(), n.testedId(), n.lineOffset()));
            }
        }
        return out;
    }

    List<SourceTable> sources(List<SourceTable> sources) {
        List<SourceTable> out = new ArrayList<>(sources.size());
        for (SourceTable s : sources) {
            String what = "source '" + s.sourceName() + "." + s.name() + "'";
            out.add(new SourceTable(s.sourceName(), s.name(), s.database(), s.schema(), s.identifier(),
                    render(s.description(), what, s.location()), columns(s.columns(), what, s.location()), s.tests(), s.meta(),
                    s.location(), s.packageName(), s.freshness(), s.external()));
        }
        return out;
    }

    private List<ColumnSpec> columns(List<ColumnSpec> cols, String what, SourceLocation file) {
        if (cols == null) return null;
        List<ColumnSpec> out = new ArrayList<>(cols.size());
        for (ColumnSpec c : cols) {
            String d = render(c.description(), "column '" + c.name() + "' of " + what, file);
            out.add(d.equals(c.description()) ? c : c.withDescription(d));
        }
        return out;
    }

    private static boolean callsDoc(String text) {
        return text != null && text.contains("{{") && text.matches("(?s).*\\bdoc\\s*\\(.*");
    }

    private String render(String text, String what, SourceLocation where) {
        // Only descriptions that call doc() are rendered; other Jinja in a description is kept as written.
        if (!callsDoc(text)) return text;
        TemplateFunction doc = (args, kw) -> {
            if (args.isEmpty()) throw new CompilationException("doc() needs the name of a {% docs %} block", where);
            // doc('package', 'name') names a package's block; blocks of every package share one namespace here.
            String name = String.valueOf(args.get(args.size() - 1));
            String body = docs.get(name);
            if (body == null) {
                throw new CompilationException("the description of " + what + " uses doc('" + name
                        + "'), but no {% docs " + name + " %} block exists in the project's .md files", where);
            }
            return body;
        };
        Path file = where == null ? Path.of("description") : where.file();
        try {
            return plain.render(file, text, Map.of(), Map.of("doc", doc)).strip();
        } catch (CompilationException e) {
            throw e.location().isPresent() && e.location().get().line() > 0 && where != null && where.line() > 0
                    ? new CompilationException(e.getMessage(), where, e) : e;
        }
    }
}

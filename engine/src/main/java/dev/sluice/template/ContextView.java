package dev.sluice.template;

import java.util.AbstractMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * dbt's {@code context}: the render's own context as a mapping, so {@code context['project_name']},
 * {@code context.get('my_macro')} and {@code 'x' in context} see what a bare name would see: variables, the
 * render's functions (ref, source, var, ...), then macros as the template would find them. A name none of
 * those has is absent (get gives None, [] is undefined), as in dbt.
 */
final class ContextView extends AbstractMap<String, Object> {
    private final Map<String, Object> variables;
    private final Frame frame;
    private final JinjaRuntime runtime;

    ContextView(Map<String, Object> variables, Frame frame, JinjaRuntime runtime) {
        this.variables = variables;
        this.frame = frame;
        this.runtime = runtime;
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String name) || name.equals(Frame.VARIABLE)) return null;
        if (variables.containsKey(name)) return variables.get(name);
        TemplateFunction fn = frame.render().functions().get(name);
        if (fn != null) return fn;
        JinjaRuntime.Macro m = runtime.unqualified(name, frame);
        return m == null ? null : new MacroRef(m);
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null || (key instanceof String s && !s.equals(Frame.VARIABLE) && variables.containsKey(s));
    }

    /** The variables and functions (macros are looked up by name only: listing every package's would be large). */
    @Override
    public Set<Entry<String, Object>> entrySet() {
        Set<Entry<String, Object>> out = new LinkedHashSet<>();
        variables.forEach((k, v) -> {
            if (!k.equals(Frame.VARIABLE) && v != this) out.add(new SimpleImmutableEntry<>(k, v));
        });
        frame.render().functions().forEach((k, v) -> {
            if (!variables.containsKey(k)) out.add(new SimpleImmutableEntry<>(k, v));
        });
        return out;
    }

    // It holds itself (context['context']): identity equality keeps hashing and comparing from recursing.
    @Override
    public boolean equals(Object o) {
        return o == this;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "context";
    }
}

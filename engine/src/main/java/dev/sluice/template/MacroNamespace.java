package dev.sluice.template;

import dev.sluice.error.CompilationException;
import java.util.List;
import java.util.Map;

/** A package's macros under its name: {{ dbt.type_string() }}, {{ my_package.cents_to_dollars('x') }}. */
final class MacroNamespace implements JinjaObject {
    private final JinjaRuntime runtime;
    private final String pkg;
    private final Frame frame;

    MacroNamespace(JinjaRuntime runtime, String pkg, Frame frame) {
        this.runtime = runtime;
        this.pkg = pkg;
        this.frame = frame;
    }

    @Override
    public Object attribute(String name) {
        JinjaRuntime.Macro m = runtime.macros(pkg).get(name);
        return m == null ? MISSING : new JinjaRuntime.MacroRef(runtime, m, frame, 0);
    }

    @Override
    public Object method(String name, List<Object> args, Map<String, Object> kwargs) {
        JinjaRuntime.Macro m = runtime.macros(pkg).get(name);
        if (m == null) {
            throw new CompilationException("package '" + pkg + "' has no macro named '" + name + "'",
                    null);
        }
        return new JinjaRuntime.MacroRef(runtime, m, frame, 0).call(args, kwargs);
    }

    @Override
    public String jinjaName() {
        return pkg;
    }

    @Override
    public String toString() {
        return pkg;
    }
}

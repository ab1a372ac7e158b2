package dev.sluice.template;

import dev.sluice.error.CompilationException;
import java.util.List;
import java.util.Map;

/**
 * The {@code adapter} of templates: dispatch is answered here, where macros are known; every other method
 * (quote, get_relation, ...) by the warehouse side given by the caller.
 */
final class DispatchingAdapter implements JinjaObject {
    private final JinjaRuntime runtime;
    private final Frame frame;
    private final JinjaObject warehouse;

    DispatchingAdapter(JinjaRuntime runtime, Frame frame, JinjaObject warehouse) {
        this.runtime = runtime;
        this.frame = frame;
        this.warehouse = warehouse;
    }

    @Override
    public Object attribute(String name) {
        return warehouse == null ? MISSING : warehouse.attribute(name);
    }

    @Override
    public Object method(String name, List<Object> args, Map<String, Object> kwargs) {
        if (name.equals("dispatch")) {
            Object macro = args.isEmpty() ? kwargs.get("macro_name") : args.get(0);
            Object ns = args.size() > 1 ? args.get(1) : kwargs.get("macro_namespace");
            if (macro == null) throw new CompilationException("adapter.dispatch() needs a macro name", null);
            return runtime.dispatch(String.valueOf(macro), ns == null ? null : String.valueOf(ns), frame, 0);
        }
        return warehouse == null ? MISSING : warehouse.method(name, args, kwargs);
    }

    @Override
    public String jinjaName() {
        return "adapter";
    }

    @Override
    public String toString() {
        return warehouse == null ? "adapter" : warehouse.toString();
    }
}

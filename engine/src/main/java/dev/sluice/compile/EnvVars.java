package dev.sluice.compile;

import dev.sluice.error.CompilationException;

import java.util.List;
import java.util.Map;

/** env_var(name, default) as dbt has it, for models, project files and profiles alike. */
public final class EnvVars {
    private EnvVars() {
    }

    public static Object envVar(List<Object> args, Map<String, Object> kwargs) {
        if (args.isEmpty()) throw new CompilationException("env_var() needs a variable name", null);
        String name = String.valueOf(args.get(0));
        String v = System.getenv(name);
        if (v != null) return v;
        if (args.size() > 1) return args.get(1);
        if (kwargs.containsKey("default")) return kwargs.get("default");
        throw new CompilationException("environment variable '" + name + "' is not set and has no default", null);
    }
}

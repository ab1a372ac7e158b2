package dev.sluice.task;

import dev.sluice.adapter.Session;
import dev.sluice.compile.Compiler;
import dev.sluice.error.CompilationException;
import dev.sluice.error.ConfigException;
import dev.sluice.error.DatabaseException;
import dev.sluice.error.OperationException;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** run-operation: runs one macro of the project or a package on a warehouse session, as dbt does. */
public final class RunOperationTask {
    private final Invocation inv;
    private final String macro;
    private final Map<String, Object> args;

    public RunOperationTask(Invocation inv, String macro, Map<String, Object> args) {
        this.inv = inv;
        this.macro = macro;
        this.args = args;
    }

    /** Runs the macro and prints what it logged; an unknown macro is bad input, an error inside it a failure. */
    public void execute(PrintStream out) {
        try (Workspace ws = Workspace.open(inv)) {
            Map<String, Set<String>> macros = ws.userMacros();
            String root = ws.project().name();
            int dot = macro.indexOf('.');
            String pkg = dot < 0 ? packageOf(macros, root, macro) : macro.substring(0, dot);
            String name = dot < 0 ? macro : macro.substring(dot + 1);
            if (!macros.getOrDefault(pkg, Set.of()).contains(name)) {
                throw new ConfigException("run-operation: no macro '" + macro + "' in "
                        + (pkg.equals(root) ? "the project" : "package '" + pkg + "'") + suggestion(macros, root, macro));
            }
            try (Session s = ws.openSession()) {
                try {
                    ws.runOperation(pkg, name, args, s);
                } finally {
                    ws.templateMessages().forEach(m -> out.println(shown(m)));
                }
            } catch (CompilationException | DatabaseException e) {
                throw new OperationException("run-operation " + macro + " failed: "
                        + e.userMessage(), e);
            }
        }
    }

    /**
     * Where a bare name is found, as dbt searches: the root project first, then the one installed package
     * that has it; two packages with it is ambiguous and needs pkg.macro.
     */
    private static String packageOf(Map<String, Set<String>> macros, String root, String name) {
        if (macros.getOrDefault(root, Set.of()).contains(name)) return root;
        List<String> having = macros.entrySet().stream().filter(e -> e.getValue().contains(name)).map(Map.Entry::getKey).toList();
        if (having.size() > 1) {
            throw new ConfigException("run-operation: macro '" + name + "' is in packages " + String.join(" and ", having)
                    + "; name one as package.macro");
        }
        return having.isEmpty() ? root : having.get(0);
    }

    private static String shown(String message) {
        return message.startsWith(Compiler.PRINTED) ? message.substring(Compiler.PRINTED.length()) : message;
    }

    private static String suggestion(Map<String, Set<String>> macros, String root, String wanted) {
        List<String> all = new ArrayList<>();
        macros.forEach((p, names) -> names.forEach(n -> all.add(p.equals(root) ? n : p + "." + n)));
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : all) {
            int d = dev.sluice.error.EditDistance.of(wanted.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best != null && bestD <= Math.max(2, wanted.length() / 3) ? " (did you mean '" + best + "'?)" : "";
    }

}

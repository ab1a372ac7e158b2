package dev.sluice.template;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one render looked at: the context variables it read (in the template or in any macro it called) and the
 * macros it called, each with a digest of its text. The compiler uses it to tell whether a render's output can
 * stand for another render of the same template (a render that never read {@code execute} gives the same SQL
 * whether or not it executes) and whether a cached parse is still valid (every macro it called is unchanged).
 * One render at a time on one thread; not shared.
 */
public final class RenderTrace {
    private final Set<String> read = new HashSet<>();
    private final Map<String, String> macros = new TreeMap<>();

    void read(String name) {
        read.add(name);
    }

    void macro(String pkg, String name, String digest) {
        macros.put(pkg + "." + name, digest);
    }

    /** Names of the render's context variables that were looked up. */
    public Set<String> variablesRead() {
        return read;
    }

    /** "package.macro" to a digest of the macro's text, for every macro called (the root project's package is ""). */
    public Map<String, String> macrosCalled() {
        return macros;
    }
}

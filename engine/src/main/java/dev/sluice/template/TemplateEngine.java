package dev.sluice.template;

import dev.sluice.error.CompilationException;
import dev.sluice.error.SourceLocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders dbt-style Jinja templates with Pebble. Macros from the given files are callable from
 * every template without an import; errors are {@link CompilationException}s naming the file and
 * line. Instances are immutable after construction and safe to share between threads.
 */
public final class TemplateEngine {

    /** dbt's internal macros, written for this engine: generic tests, cross-database macros, helpers. */
    private static final List<String> BUILTIN_FILES = List.of("generic_tests.sql", "cross_database.sql",
            "adapter_macros.sql");

    private final JinjaRuntime runtime;
    private final Set<String> genericTests;

    public TemplateEngine(List<MacroFile> macroFiles) {
        this(macroFiles, TemplateSettings.DEFAULT);
    }

    public TemplateEngine(List<MacroFile> macroFiles, TemplateSettings settings) {
        Map<String, List<MacroExtractor.MacroDef>> packages = new LinkedHashMap<>();
        packages.put(settings.rootPackage(), new ArrayList<>());
        Set<String> tests = new LinkedHashSet<>();
        List<MacroExtractor.MacroDef> internal = new ArrayList<>();
        for (String builtin : BUILTIN_FILES) {
            // How built-in macros are named in error messages.
            internal.addAll(MacroExtractor.extract(Path.of("sluice-builtin", builtin), resource(builtin)).macros());
        }
        Map<String, Map<String, MacroExtractor.MacroDef>> seen = new HashMap<>();
        for (MacroFile file : macroFiles) {
            String pkg = file.packageName() == null ? settings.rootPackage() : file.packageName();
            for (MacroExtractor.MacroDef d : MacroExtractor.extract(file.path(), file.source()).macros()) {
                MacroExtractor.MacroDef earlier = seen.computeIfAbsent(pkg, k -> new HashMap<>()).put(d.name(), d);
                if (earlier != null) {
                    // dbt refuses two macros of one name: which one runs would be an accident.
                    throw new CompilationException("macro '" + d.name() + "' is defined twice, also at "
                            + SourceLocation.of(earlier.file(), earlier.line()), SourceLocation.of(d.file(), d.line()));
                }
                packages.computeIfAbsent(pkg, k -> new ArrayList<>()).add(d);
            }
        }
        packages.put(TemplateSettings.DBT, internal);
        for (List<MacroExtractor.MacroDef> defs : packages.values()) {
            for (MacroExtractor.MacroDef d : defs) {
                if (d.name().startsWith("test_")) tests.add(d.name().substring("test_".length()));
            }
        }
        this.runtime = new JinjaRuntime(packages, settings);
        this.genericTests = Collections.unmodifiableSet(tests);
    }

    private static String resource(String name) {
        try (InputStream in = TemplateEngine.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Renders one template.
     *
     * @param file      the user's file, for error messages
     * @param source    the template text
     * @param variables context variables (this, target, model, ...)
     * @param functions per-render functions (ref, source, var, config, is_incremental, env_var, ...)
     */
    public String render(Path file, String source, Map<String, Object> variables,
                         Map<String, TemplateFunction> functions) {
        return runtime.render(file, source, variables == null ? Map.of() : variables,
                functions == null ? Map.of() : functions);
    }

    /** Names of generic tests available: built-ins plus every {% test name %} block. */
    public Set<String> genericTests() {
        return genericTests;
    }

    /** The {% snapshot %} blocks of a file. */
    public static List<SnapshotBlock> snapshotBlocks(Path file, String source) {
        List<SnapshotBlock> out = new ArrayList<>();
        for (MacroExtractor.Block b : MacroExtractor.blocks(file, source, "snapshot")) {
            out.add(new SnapshotBlock(b.argument(), source.substring(b.open().end, b.close().start), file,
                    TemplateScanner.lineAt(source, b.open().start)));
        }
        return out;
    }

    /** The {% docs name %} blocks of a markdown file: name to text. */
    public static Map<String, String> docsBlocks(Path file, String source) {
        return MacroExtractor.docs(file, source);
    }
}

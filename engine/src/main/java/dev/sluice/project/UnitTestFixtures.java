package dev.sluice.project;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The fixture files of unit tests: csv and sql files under a test path's fixtures/ folder, which a given or expect
 * names with {@code fixture: name} (the file name without its extension), as dbt finds them.
 *
 * @param files file name (with extension) to the file, relative to the project
 * @param read  reads a file's text
 */
record UnitTestFixtures(Map<String, Path> files, Function<Path, String> read) {

    static final UnitTestFixtures NONE = new UnitTestFixtures(Map.of(), p -> "");

    /** The file of a fixture in a format (csv or sql), or null. */
    Path find(String name, String format) {
        return files.get(name + "." + format);
    }

    String text(Path file) {
        return read.apply(file);
    }

    /** The fixture names there are in a format, for messages. */
    String known(String format) {
        TreeSet<String> names = new TreeSet<>();
        files.keySet().stream().filter(f -> f.endsWith("." + format))
                .forEach(f -> names.add(f.substring(0, f.length() - format.length() - 1)));
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}

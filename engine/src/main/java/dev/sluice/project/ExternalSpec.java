package dev.sluice.project;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A source table kept in a file (dbt-external-tables' {@code external:} block): the engine loads the file into the
 * source's table before the first node that reads it runs, so the warehouse's own SQL reads it like any table.
 *
 * @param location the file as written, relative to the project folder (or absolute)
 * @param file     the file, resolved against the folder of the project that declares the source
 * @param format   parquet or csv (with a header line)
 */
public record ExternalSpec(String location, Path file, String format, SourceLocation at) {
    static final Set<String> KEYS = Set.of("location", "file_format");
    static final List<String> FORMATS = List.of("parquet", "csv");

    static ExternalSpec parse(Yaml y, String what, List<String> warnings) {
        if (!y.isMap()) throw y.error("external of " + what + " must be a mapping with location and file_format");
        KnownKeys.checkMapping(y, KEYS, "external of " + what, warnings);
        String location = y.get("location").string("location");
        if (location == null || location.isBlank()) throw y.error("external of " + what + " needs location: the file to load");
        String format = y.get("file_format").string("file_format");
        if (format == null) {
            int dot = location.lastIndexOf('.');
            format = dot < 0 ? "" : location.substring(dot + 1);
        }
        format = format.toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
            throw new ConfigException("file_format of " + what + " must be one of " + FORMATS + ", not '" + format + "'",
                    y.has("file_format") ? y.get("file_format").location() : y.location());
        }
        return new ExternalSpec(location, Path.of(location), format, y.location());
    }

    /** The same spec with its file resolved against the project folder. */
    ExternalSpec resolvedAgainst(Path projectRoot) {
        return new ExternalSpec(location, projectRoot.resolve(location).normalize(), format, at);
    }
}

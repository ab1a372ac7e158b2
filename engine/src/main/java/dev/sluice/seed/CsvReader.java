package dev.sluice.seed;

import java.nio.file.Path;
import java.util.Map;

/** Reads a seed CSV with type inference. API contract; implementation in progress. */
public final class CsvReader {
    /**
     * @param overrides column name to a warehouse type from column_types; such columns are kept as text values
     *                  (String) for the warehouse to cast, and reported as TEXT in types.
     */
    public CsvTable read(Path file, Map<String, String> overrides) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}

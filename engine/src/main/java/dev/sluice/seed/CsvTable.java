package dev.sluice.seed;

import java.util.List;

/**
 * A parsed seed file: header, inferred column types and rows of typed Java values
 * (Long, java.math.BigDecimal or Double, Boolean, java.time.LocalDate, java.time.LocalDateTime, String, or null).
 */
public record CsvTable(List<String> columns, List<ColumnType> types, List<List<Object>> rows) {
}

package dev.sluice.activation;

import dev.sluice.error.ConfigException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What changed between the rows an export has now and what its destination holds (the state table). */
public final class ChangeSet {
    private ChangeSet() {
    }

    /** Every row as an item, in query order (full exports). */
    public static List<Change> all(ExportRows rows, String idColumn) {
        int idIndex = idColumn == null ? -1 : requireColumn(rows, idColumn);
        List<Change> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String id = idIndex < 0 ? "" : idOf(rows, i, idIndex);
            out.add(new Change(Change.ROW, id, rows.payloadHash(i), i, rows.payload(i)));
        }
        return out;
    }

    /**
     * Adds (ids not in the state), updates (payload hash differs) and removes (ids only in the state),
     * sorted by id.
     *
     * @param state id to payload_hash of what the destination has
     */
    public static List<Change> diff(ExportRows rows, String idColumn, Map<String, String> state) {
        int idIndex = requireColumn(rows, idColumn);
        Map<String, Integer> current = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            String id = idOf(rows, i, idIndex);
            if (current.putIfAbsent(id, i) != null) {
                throw new ExportException("id_column '" + idColumn + "' is not unique: '" + id
                        + "' appears more than once in the export's input");
            }
        }
        List<Change> out = new ArrayList<>();
        Map<String, String> hashes = new HashMap<>();
        current.forEach((id, i) -> {
            String hash = rows.payloadHash(i);
            hashes.put(id, hash);
            String old = state.get(id);
            if (old == null) out.add(new Change(Change.ADD, id, hash, i, rows.payload(i)));
            else if (!old.equals(hash)) out.add(new Change(Change.UPDATE, id, hash, i, rows.payload(i)));
        });
        state.forEach((id, hash) -> {
            if (!current.containsKey(id)) out.add(new Change(Change.REMOVE, id, null, -1, null));
        });
        out.sort(Change.ORDER);
        return out;
    }

    private static int requireColumn(ExportRows rows, String idColumn) {
        int i = rows.indexOf(idColumn);
        if (i < 0) {
            throw new ConfigException("id_column '" + idColumn + "' is not a column of the export's input; it has "
                    + String.join(", ", rows.columns()));
        }
        return i;
    }

    private static String idOf(ExportRows rows, int row, int idIndex) {
        Object v = rows.rows().get(row).get(idIndex);
        if (v == null) throw new ExportException("row " + (row + 1) + " of the export's input has no id (null)");
        return ExportRows.text(v);
    }

    /** Consecutive batches of at most size items. */
    public static List<List<Change>> batches(List<Change> items, int size) {
        List<List<Change>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) out.add(items.subList(i, Math.min(items.size(), i + size)));
        return out;
    }
}

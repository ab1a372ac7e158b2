package dev.sluice.state;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a build of the selected nodes would do, node by node, and why; read from the project and the warehouse
 * without changing either.
 *
 * @param target  the target planned for
 * @param entries the selected nodes that build a relation, in DAG order
 */
public record Plan(String target, List<Entry> entries) {
    /** A build creates the relation. */
    public static final String NEW = "new";
    /** A build replaces the relation: its SQL, config or upstream changed. */
    public static final String MODIFIED = "modified";
    /** A build keeps the relation as it is. */
    public static final String UNCHANGED = "unchanged";
    /** The relation exists but no fingerprint says what built it: a build runs the node. */
    public static final String REBUILD = "rebuild";

    /**
     * @param action        new, modified, unchanged or rebuild
     * @param reasons       why: for modified the parts that changed (sql, config, upstream, data: the fingerprint's
     *                      parts, see {@link Fingerprint#changedParts}; columns: the deployed relation's columns differ)
     * @param columnsKnown  whether the new output columns are known (Calcite analysed the SQL), so that columns
     *                      lists every change
     * @param columns       the output columns a build would add or remove
     */
    public record Entry(String uniqueId, String name, String resourceType, String relation, String action,
                        List<String> reasons, boolean columnsKnown, List<ColumnChanges.Change> columns) {
        public boolean breaking() {
            return columns.stream().anyMatch(ColumnChanges.Change::breaking);
        }
    }

    /** How many entries of each action, in the order new, modified, unchanged, rebuild. */
    public Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String a : List.of(NEW, MODIFIED, UNCHANGED, REBUILD)) out.put(a, 0);
        entries.forEach(e -> out.merge(e.action(), 1, Integer::sum));
        return out;
    }

    /** Removed columns that downstream models read. */
    public long breakingChanges() {
        return entries.stream().flatMap(e -> e.columns().stream()).filter(ColumnChanges.Change::breaking).count();
    }
}

package dev.sluice.adapter;

import java.util.List;

/**
 * Snapshot updates written as MERGE, for warehouses without UPDATE ... FROM with a target alias (Databricks)
 * or without an alias on the UPDATE target at all (Snowflake).
 */
public final class MergeSnapshots {
    private MergeSnapshots() {
    }

    /** Adapter.snapshotCloseSql as a MERGE: target's columns stay unqualified, which the changes table cannot shadow. */
    public static String close(Adapter a, Relation target, Relation changes, List<String> keyExprs, List<String> changeKeys,
                               String validTo, String isCurrent, String value) {
        StringBuilder match = new StringBuilder();
        for (int i = 0; i < keyExprs.size(); i++) {
            match.append(i == 0 ? "" : " and ").append("c.").append(a.quote(changeKeys.get(i))).append(" = ").append(keyExprs.get(i));
        }
        return "merge into " + a.render(target) + "\nusing " + a.render(changes) + " as c\non " + match + " and (" + isCurrent
                + ")\nwhen matched then update set " + a.quote(validTo) + " = " + value;
    }
}

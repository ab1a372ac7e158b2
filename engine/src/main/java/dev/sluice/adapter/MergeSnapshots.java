package dev.sluice.adapter;

import java.util.List;

/**
 * Snapshot updates written as MERGE, for warehouses without UPDATE ... FROM with a target alias (Databricks)
 * or without an alias on the UPDATE target at all (Snowflake). Same aliases as the defaults: snap and stg.
 */
public final class MergeSnapshots {
    private MergeSnapshots() {
    }

    public static String closeChanged(Adapter a, Relation target, Relation staging, List<String> keys, String changed) {
        return "merge into " + a.render(target) + " as snap\nusing " + a.render(staging) + " as stg\non "
                + a.keyJoin("snap", "stg", keys) + " and snap.dbt_valid_to is null"
                + "\nwhen matched and (" + changed + ") then update set dbt_valid_to = stg.dbt_change_ts";
    }

    /** The source lists the keys whose current version has no staging row; those versions are closed. */
    public static String invalidateDeleted(Adapter a, Relation target, Relation staging, List<String> keys, String now) {
        String keyList = String.join(", ", keys.stream().map(k -> "cur." + a.quote(k)).toList());
        return "merge into " + a.render(target) + " as snap\nusing (select " + keyList + " from " + a.render(target)
                + " as cur where cur.dbt_valid_to is null and not exists (select 1 from " + a.render(staging)
                + " as stg where " + a.keyJoin("cur", "stg", keys) + ")) as gone\non " + a.keyJoin("snap", "gone", keys)
                + " and snap.dbt_valid_to is null\nwhen matched then update set dbt_valid_to = " + now;
    }
}

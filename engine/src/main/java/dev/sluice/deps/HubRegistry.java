package dev.sluice.deps;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;

import java.util.Map;
import java.util.Optional;

/**
 * dbt Hub packages (package: dbt-labs/dbt_utils) and the git repositories they are published from. The hub's
 * index (hub.getdbt.com) is not consulted: a built-in map names the repositories of well-known packages, and a
 * version range is resolved against the repository's tags.
 */
public final class HubRegistry {
    private static final Map<String, String> WELL_KNOWN = Map.ofEntries(
            Map.entry("dbt-labs/dbt_utils", "https://github.com/dbt-labs/dbt-utils.git"),
            Map.entry("dbt-labs/audit_helper", "https://github.com/dbt-labs/dbt-audit-helper.git"),
            Map.entry("dbt-labs/codegen", "https://github.com/dbt-labs/dbt-codegen.git"),
            Map.entry("dbt-labs/dbt_external_tables", "https://github.com/dbt-labs/dbt-external-tables.git"),
            Map.entry("dbt-labs/dbt_project_evaluator", "https://github.com/dbt-labs/dbt-project-evaluator.git"),
            Map.entry("dbt-labs/spark_utils", "https://github.com/dbt-labs/spark-utils.git"),
            Map.entry("dbt-labs/metrics", "https://github.com/dbt-labs/dbt_metrics.git"),
            Map.entry("calogica/dbt_date", "https://github.com/calogica/dbt-date.git"),
            Map.entry("godatadriven/dbt_date", "https://github.com/godatadriven/dbt-date.git"),
            Map.entry("calogica/dbt_expectations", "https://github.com/calogica/dbt-expectations.git"),
            Map.entry("metaplane/dbt_expectations", "https://github.com/metaplane/dbt-expectations.git"),
            Map.entry("brooklyn-data/dbt_artifacts", "https://github.com/brooklyn-data/dbt_artifacts.git"),
            Map.entry("elementary-data/elementary", "https://github.com/elementary-data/dbt-data-reliability.git"),
            Map.entry("Datavault-UK/automate_dv", "https://github.com/Datavault-UK/automate-dv.git"),
            Map.entry("data-mie/dbt_profiler", "https://github.com/data-mie/dbt-profiler.git"),
            Map.entry("fivetran/fivetran_utils", "https://github.com/fivetran/dbt_fivetran_utils.git"));

    private final Map<String, String> repositories;

    /** The built-in map of well-known packages. */
    public HubRegistry() {
        this(WELL_KNOWN);
    }

    /** @param repositories hub name (owner/name) -> git URL */
    public HubRegistry(Map<String, String> repositories) {
        this.repositories = Map.copyOf(repositories);
    }

    public Optional<String> repository(String hubName) {
        return Optional.ofNullable(repositories.get(hubName));
    }

    String require(String hubName, SourceLocation location) {
        return repository(hubName).orElseThrow(() -> new ConfigException("hub package '" + hubName + "' is not one "
                + "this engine knows the repository of (dbt Hub is not consulted); name its repository instead: "
                + "git: https://github.com/<owner>/<repo>.git with revision: <tag>", location));
    }
}

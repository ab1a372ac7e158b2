package dev.sluice.task;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files of the project init creates: small, but with each kind of thing a project has (a seed, a staging
 * view on it, a mart table with a ref, generic and singular tests), so the first `engine build` shows them all.
 */
final class StarterProject {
    private StarterProject() {
    }

    static Map<String, String> files(String name, String profile) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("dbt_project.yml", """
                # The project file (dbt's format, so dbt reads it too).
                name: '%1$s'
                version: '1.0.0'
                config-version: 2

                # The entry of profiles.yml that says which warehouse to build in.
                profile: '%2$s'

                model-paths: ["models"]
                analysis-paths: ["analyses"]
                test-paths: ["tests"]
                seed-paths: ["seeds"]
                macro-paths: ["macros"]
                snapshot-paths: ["snapshots"]

                clean-targets:
                  - "target"
                  - "dbt_packages"

                models:
                  %1$s:
                    staging:
                      +materialized: view
                    marts:
                      +materialized: table
                """.formatted(name, profile));
        f.put("seeds/countries.csv", """
                id,name,continent
                1,France,Europe
                2,Japan,Asia
                3,Kenya,Africa
                4,Peru,South America
                5,Portugal,Europe
                """);
        f.put("models/staging/stg_countries.sql", """
                -- A staging model: one clean row per country, straight from the seed.
                select
                    id as country_id,
                    name as country_name,
                    continent
                from {{ ref('countries') }}
                """);
        f.put("models/marts/continents.sql", """
                -- A mart built on the staging model: ref() orders the build and names the relation.
                select
                    continent,
                    count(*) as country_count
                from {{ ref('stg_countries') }}
                group by continent
                """);
        f.put("models/schema.yml", """
                version: 2

                models:
                  - name: stg_countries
                    description: One row per country.
                    columns:
                      - name: country_id
                        data_tests:
                          - unique
                          - not_null
                  - name: continents
                    description: How many countries each continent has.
                    columns:
                      - name: continent
                        data_tests:
                          - unique
                          - not_null
                """);
        f.put("tests/assert_every_continent_has_countries.sql", """
                -- A singular test: it fails when this query returns rows.
                select * from {{ ref('continents') }} where country_count < 1
                """);
        f.put("macros/.gitkeep", "");
        f.put("analyses/.gitkeep", "");
        f.put("snapshots/.gitkeep", "");
        f.put(".gitignore", """
                target/
                dbt_packages/
                logs/
                *.duckdb
                *.duckdb.wal
                """);
        f.put("README.md", """
                # %1$s

                Created by `engine init`. Try:

                - `engine build`: load the seed, build the models and run their tests
                - `engine ls`: list what the project holds
                - `engine docs generate && engine docs serve`: browse its documentation
                """.formatted(name));
        return f;
    }
}

package dev.sluice.project;

import dev.sluice.error.SourceLocation;

import java.util.List;

/** One entry of packages.yml / dependencies.yml. */
public sealed interface PackageSpec {

    SourceLocation location();

    /** A package in a folder, relative to the project that names it (local: path). */
    record Local(String path, SourceLocation location) implements PackageSpec {
    }

    /**
     * A git repository (git: url), at a branch, tag or commit (revision; the default branch when null),
     * optionally a project in a subfolder of it. written is the url before rendering
     * ({@code https://{{ env_var('DBT_ENV_SECRET_GIT_TOKEN') }}@host/repo.git}): package-lock.yml keeps that, as
     * dbt does, so a token never lands in the file.
     */
    record Git(String url, String written, String revision, String subdirectory, boolean warnUnpinned,
               SourceLocation location) implements PackageSpec {
    }

    /** A dbt Hub package (package: dbt-labs/dbt_utils) and the versions it may be at. */
    record Hub(String name, List<String> versions, SourceLocation location) implements PackageSpec {
    }
}

package dev.sluice.template;

/**
 * A package's name as a template variable: {@code dbt_utils.star(...)} calls the macro star of package
 * dbt_utils, whoever calls it (JinjaAttributes resolves the call).
 */
record MacroNamespace(String packageName) {

    @Override
    public String toString() {
        return packageName;
    }
}

package dev.sluice.template;

/** The `exceptions` namespace of dbt templates; its methods are resolved in JinjaAttributes. */
final class CompilerExceptions {
    static final CompilerExceptions INSTANCE = new CompilerExceptions();

    private CompilerExceptions() {
    }

    @Override
    public String toString() {
        return "exceptions";
    }
}

package dev.sluice.template;

/** Unwinds a macro evaluation when the template calls return(value), as dbt's return does. */
final class ReturnSignal extends RuntimeException {
    final transient Object value;

    ReturnSignal(Object value) {
        super("return() used outside a macro", null, false, false);
        this.value = value;
    }
}

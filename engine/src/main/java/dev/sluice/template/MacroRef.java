package dev.sluice.template;

/** A macro named as a value ({@code dbt_utils.star} without a call), e.g. to pass it around or test it. */
record MacroRef(JinjaRuntime.Macro macro) {

    @Override
    public String toString() {
        return macro.pkg() + "." + macro.name();
    }
}

package dev.sluice.graph;

import dev.sluice.error.ConfigException;

import java.util.Locale;

/**
 * Which tests come along with the selected nodes, as dbt's --indirect-selection: eager, any tested node
 * selected; buildable, every tested node selected or upstream of the selection; cautious, every tested node
 * selected; empty, none.
 */
public enum IndirectSelection {
    EAGER, BUILDABLE, CAUTIOUS, EMPTY;

    public static IndirectSelection parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--indirect-selection must be eager, buildable, cautious or empty, got '" + s + "'");
        }
    }
}

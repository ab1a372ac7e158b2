package dev.sluice.template;

import java.util.LinkedHashMap;

/**
 * What namespace() returns: the one kind of object whose attributes a template may assign
 * ({% set ns.total = ns.total + 1 %}), which is how Jinja carries values out of a loop.
 */
final class Namespace extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
        return "<Namespace " + super.toString() + ">";
    }
}

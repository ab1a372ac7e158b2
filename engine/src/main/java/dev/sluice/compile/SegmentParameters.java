package dev.sluice.compile;

import dev.sluice.template.JinjaObject;

import java.util.Map;

/**
 * {@code params} in a segment template's SQL: the instance's values. A string comes with its single quotes
 * doubled, since it is written between quotes in SQL ('{{ params.category }}'); numbers, booleans as they are.
 * A name the template did not declare is refused when the project is loaded; here it is a compile error too.
 */
record SegmentParameters(String template, Map<?, ?> values) implements JinjaObject {
    @Override
    public Object attribute(String name) {
        if (!values.containsKey(name)) return MISSING;
        Object v = values.get(name);
        return v instanceof String s ? s.replace("'", "''") : v;
    }

    @Override
    public String jinjaName() {
        return "params of template " + template;
    }
}

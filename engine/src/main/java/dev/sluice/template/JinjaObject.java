package dev.sluice.template;

import java.util.List;
import java.util.Map;

/**
 * A value of dbt's Jinja context with attributes and Python-style methods ({@code adapter.quote('x')},
 * {@code config.get('k')}, {@code modules.datetime.datetime.now()}). Returning {@link #MISSING} means the
 * object has no such attribute or method, which is a compile error naming the file and line.
 */
public interface JinjaObject {

    /** Marks an attribute or method the object does not have (null is a legitimate value). */
    Object MISSING = new Object() {
        @Override
        public String toString() {
            return "<missing>";
        }
    };

    /** {@code obj.name}; MISSING when there is no such attribute. */
    default Object attribute(String name) {
        return MISSING;
    }

    /** {@code obj.name(args, key=value)}; MISSING when there is no such method. */
    default Object method(String name, List<Object> args, Map<String, Object> kwargs) {
        Object a = attribute(name);
        if (a instanceof TemplateFunction f) return f.call(args, kwargs);
        return MISSING;
    }

    /** Whether {@code obj is mapping} holds: dbt's Relation is a dict to Jinja (dbt_utils._is_relation asks). */
    default boolean isMapping() {
        return false;
    }

    /** How the object is named in error messages. */
    default String jinjaName() {
        return getClass().getSimpleName();
    }
}

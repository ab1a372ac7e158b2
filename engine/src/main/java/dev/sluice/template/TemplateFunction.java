package dev.sluice.template;

import java.util.List;
import java.util.Map;

/** A function a template may call, such as ref('orders') or config(materialized='table'). */
@FunctionalInterface
public interface TemplateFunction {
    /**
     * @param args   positional arguments in call order
     * @param kwargs named arguments (Jinja keyword arguments), in call order
     * @return the value the call evaluates to; its toString() is what {{ f() }} prints
     */
    Object call(List<Object> args, Map<String, Object> kwargs);
}

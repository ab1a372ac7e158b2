package dev.sluice.template;

import java.util.AbstractList;
import java.util.List;

/**
 * A Python tuple: a read-only list that prints as Python prints tuples, (1, 2) and (1,), so that
 * {@code where x in {{ ('a', 'b') }}} renders the SQL it does in dbt. Tuple literals, dict.items() pairs and zip()
 * rows are tuples.
 */
final class Tuple extends AbstractList<Object> {
    private final List<Object> items;

    Tuple(List<?> items) {
        this.items = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(items));
    }

    @Override
    public Object get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }
}

package dev.sluice.compile;

import java.util.AbstractList;
import java.util.List;
import java.util.function.Supplier;

/**
 * dbt's selected_resources: the unique ids the run selected. They are known only once the run has chosen its
 * nodes, after compiling, so a template that reads them is rendered again when its node runs.
 */
final class SelectedResources extends AbstractList<Object> {
    private final Supplier<List<String>> ids;
    private final Runnable onRead;

    SelectedResources(Supplier<List<String>> ids, Runnable onRead) {
        this.ids = ids;
        this.onRead = onRead;
    }

    @Override
    public Object get(int index) {
        onRead.run();
        return ids.get().get(index);
    }

    @Override
    public int size() {
        onRead.run();
        return ids.get().size();
    }
}

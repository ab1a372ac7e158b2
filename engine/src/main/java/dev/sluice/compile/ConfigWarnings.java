package dev.sluice.compile;

import dev.sluice.adapter.Adapter;
import dev.sluice.project.Configs;
import dev.sluice.project.Node;
import dev.sluice.project.NodeType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Warnings for configs a node sets that this engine or its warehouse does not (fully) apply. */
final class ConfigWarnings {
    private ConfigWarnings() {
    }

    static List<String> of(Node n, Map<String, Object> config, Adapter adapter) {
        List<String> out = new ArrayList<>(Constraints.warnings(n, config, adapter));
        if (n.type() == NodeType.MODEL && "microbatch".equals(String.valueOf(config.get("incremental_strategy")))
                && Configs.bool(config.get("concurrent_batches"), false)) {
            out.add(n.file() + ": concurrent_batches of microbatch model '" + n.name() + "' is not supported: its "
                    + "batches run one after another");
        }
        return out;
    }
}

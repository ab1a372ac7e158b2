package dev.sluice.task;

import dev.sluice.compile.CompiledNode;
import dev.sluice.compile.Manifest;
import dev.sluice.graph.Dag;
import dev.sluice.graph.Selector;
import dev.sluice.project.SourceTable;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The whole project as a graph, sources included, and selection over it. */
final class ProjectGraph {
    final Dag dag = new Dag();
    final Map<String, Selector.Candidate> candidates = new LinkedHashMap<>();

    /** state: and result: (with --state), or methods that say --state is missing. */
    private final Map<String, Selector.Method> methods;

    ProjectGraph(Manifest m) {
        this(m, dev.sluice.state.StateSelection.methods(null, () -> null, null));
    }

    ProjectGraph(Manifest m, Map<String, Selector.Method> methods) {
        this.methods = methods;
        for (Map.Entry<String, SourceTable> e : m.sources().entrySet()) {
            SourceTable s = e.getValue();
            dag.addNode(e.getKey());
            candidates.put(e.getKey(), new Selector.Candidate(e.getKey(), "source", s.name(),
                    List.of(s.sourceName(), s.name()), s.location().file(), s.meta(), null, Set.of()));
        }
        for (CompiledNode n : m.nodes().values()) {
            dag.addNode(n.uniqueId());
            for (String d : n.dependsOn()) dag.addEdge(d, n.uniqueId());
            Set<String> tested = new LinkedHashSet<>();
            if (n.node().type() == dev.sluice.project.NodeType.TEST) tested.addAll(n.dependsOn());
            // A unit test comes along with its model, as dbt selects them.
            if (n.node().type() == dev.sluice.project.NodeType.UNIT_TEST) tested.add(n.node().testedId());
            Path file = n.node().file();
            String testName = n.node().isGenericTest() ? n.node().test().testName() : null;
            candidates.put(n.uniqueId(), new Selector.Candidate(n.uniqueId(), n.node().type().label(), n.name(),
                    n.node().fqn(), file, n.config(),
                    testName == null ? null : testName.substring(testName.lastIndexOf('.') + 1), tested));
        }
    }

    /**
     * What selecting nothing chooses (every source and node, in the order the constructor adds them as candidates),
     * without building the graph: a candidate per node was 2% of a 10,000-model compile, serial at its end.
     */
    static Set<String> everything(Manifest m) {
        Set<String> all = new LinkedHashSet<>(m.sources().keySet());
        all.addAll(m.nodes().keySet());
        return all;
    }

    Set<String> select(List<String> select, List<String> exclude, dev.sluice.graph.IndirectSelection tests) {
        return new Selector(dag, candidates, methods).select(select, exclude, tests);
    }

    /**
     * Selects, warning (or failing, under --warn-error) about each criterion that matches nothing.
     */
    Set<String> select(Invocation inv, dev.sluice.graph.IndirectSelection tests, dev.sluice.exec.Progress progress) {
        if (inv.selector() != null) return selectBySelector(inv, tests, progress);
        Selector selector = new Selector(dag, candidates, methods);
        for (String spec : selector.unmatched(inv.select(), inv.exclude())) {
            progress.log().warn("NoNodesForSelectionCriteria", "The selection criterion '" + spec
                    + "' does not match any enabled nodes", java.util.Map.of("spec_raw", spec));
        }
        return selector.select(inv.select(), inv.exclude(), tests);
    }

    /**
     * A selector of selectors.yml: its criteria name their own indirect_selection; those that do not follow the
     * command's, as in dbt.
     */
    private Set<String> selectBySelector(Invocation inv, dev.sluice.graph.IndirectSelection tests, dev.sluice.exec.Progress progress) {
        dev.sluice.graph.YamlSelectors.Chosen chosen = inv.selector();
        if (chosen.byDefault()) {
            progress.log().info("DefaultSelector", "Using default selector " + chosen.name(), java.util.Map.of("name", chosen.name()));
        }
        return select(chosen.spec(), tests);
    }

    /** A selection tree (a YAML selector), with the same methods as --select. */
    Set<String> select(dev.sluice.graph.SelectionSpec spec, dev.sluice.graph.IndirectSelection tests) {
        return new dev.sluice.graph.SpecSelector(dag, candidates, methods).select(spec, tests);
    }
}

package dev.sluice.graph;

import dev.sluice.error.ConfigException;
import dev.sluice.error.EngineException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates a {@link SelectionSpec} as dbt evaluates a YAML selector: each criterion selects its nodes and their
 * relatives, then adds the tests that come with them by its own indirect_selection; tests it holds back (cautious,
 * buildable) travel alongside so a set operation above can still take them in; unions, intersections and
 * differences combine both sets.
 */
public final class SpecSelector {
    private final Dag graph;
    private final Map<String, Selector.Candidate> candidates;
    private final Selector methods;

    public SpecSelector(Dag graph, Map<String, Selector.Candidate> candidates) {
        this(graph, candidates, Map.of());
    }

    /** @param methods further selection methods (state:, result:), as {@link Selector} takes them */
    public SpecSelector(Dag graph, Map<String, Selector.Candidate> candidates, Map<String, Selector.Method> methods) {
        this.graph = graph;
        this.candidates = candidates;
        this.methods = new Selector(graph, candidates, methods);
    }

    /** Nodes picked outright, and tests held back for want of some of their parents. */
    private record Picked(Set<String> direct, Set<String> indirect) {
    }

    /**
     * @param tests the command's --indirect-selection, for criteria that name none; null when the command runs no
     *              tests and criteria do not name one
     */
    public Set<String> select(SelectionSpec spec, IndirectSelection tests) {
        return eval(spec, tests).direct();
    }

    private Picked eval(SelectionSpec spec, IndirectSelection tests) {
        if (spec instanceof SelectionSpec.Criterion c) return criterion(c, tests);
        if (spec instanceof SelectionSpec.Union u) return combine(u.parts(), tests, Op.UNION);
        if (spec instanceof SelectionSpec.Intersection i) return combine(i.parts(), tests, Op.INTERSECTION);
        SelectionSpec.Difference d = (SelectionSpec.Difference) spec;
        return combine(List.of(d.include(), d.exclude()), tests, Op.DIFFERENCE);
    }

    private enum Op { UNION, INTERSECTION, DIFFERENCE }

    /**
     * dbt's set operations of YAML selectors take in no held-back test afterwards (their groups are eager), so
     * a test comes along only through the criterion that selected its parents.
     */
    private Picked combine(List<SelectionSpec> parts, IndirectSelection tests, Op op) {
        Set<String> direct = null;
        Set<String> indirect = null;
        for (SelectionSpec part : parts) {
            Picked p = eval(part, tests);
            Set<String> both = new LinkedHashSet<>(p.direct());
            both.addAll(p.indirect());
            if (direct == null) {
                direct = new LinkedHashSet<>(p.direct());
                indirect = both;
                continue;
            }
            switch (op) {
                case UNION -> {
                    direct.addAll(p.direct());
                    indirect.addAll(both);
                }
                case INTERSECTION -> {
                    direct.retainAll(p.direct());
                    indirect.retainAll(both);
                }
                case DIFFERENCE -> {
                    direct.removeAll(p.direct());
                    indirect.removeAll(both);
                }
            }
        }
        return direct == null ? new Picked(Set.of(), Set.of()) : new Picked(direct, indirect);
    }

    private Picked criterion(SelectionSpec.Criterion c, IndirectSelection fallback) {
        Set<String> collected;
        try {
            collected = methods.matching(c.term());
        } catch (EngineException e) {
            // An unknown method or bad value shows up here; name the place in selectors.yml.
            throw new ConfigException(e.getMessage(), c.at(), e);
        }
        Set<String> selected = new LinkedHashSet<>(collected);
        if (c.childrensParents()) {
            Set<String> down = new LinkedHashSet<>(collected);
            for (String id : collected) down.addAll(graph.descendants(id, Integer.MAX_VALUE));
            selected.addAll(down);
            selected.addAll(graph.ancestorsOfAll(new ArrayList<>(down)));
        }
        if (c.parents()) {
            int depth = c.parentsDepth() == null ? Integer.MAX_VALUE : c.parentsDepth();
            for (String id : collected) selected.addAll(graph.ancestors(id, depth));
        }
        if (c.children()) {
            int depth = c.childrenDepth() == null ? Integer.MAX_VALUE : c.childrenDepth();
            for (String id : collected) selected.addAll(graph.descendants(id, depth));
        }
        IndirectSelection mode = c.indirectSelection() != null ? c.indirectSelection() : fallback;
        if (mode == null || mode == IndirectSelection.EMPTY) return new Picked(selected, Set.of());
        return expand(selected, mode);
    }

    /** The tests on selected nodes: taken at once, or held back when the mode wants more of their parents. */
    private Picked expand(Set<String> selected, IndirectSelection mode) {
        Set<String> direct = new LinkedHashSet<>(selected);
        Set<String> indirect = new LinkedHashSet<>();
        Set<String> buildable = new LinkedHashSet<>();
        if (mode == IndirectSelection.BUILDABLE) {
            buildable.addAll(selected);
            buildable.addAll(graph.ancestorsOfAll(selected));
            candidates.values().stream().filter(c -> c.type().equals("source")).forEach(c -> buildable.add(c.uniqueId()));
        }
        for (Selector.Candidate c : candidates.values()) {
            if (!(c.type().equals("test") || c.type().equals("unit_test")) || selected.contains(c.uniqueId())) continue;
            if (c.testedIds().stream().noneMatch(selected::contains)) continue;
            if (mode == IndirectSelection.EAGER || selected.containsAll(c.testedIds())) direct.add(c.uniqueId());
            else if (mode == IndirectSelection.BUILDABLE && buildable.containsAll(c.testedIds())) direct.add(c.uniqueId());
            else indirect.add(c.uniqueId());
        }
        return new Picked(direct, indirect);
    }
}

package dev.sluice.graph;

import dev.sluice.error.SourceLocation;

import java.util.List;

/**
 * A selection as a tree, as dbt's YAML selectors define one: criteria combined by union, intersection and
 * difference. {@link SpecSelector} evaluates it.
 */
public sealed interface SelectionSpec {
    /** Where the part was written, for errors that arise when it is evaluated. */
    SourceLocation at();

    /**
     * One criterion: the nodes a method matches, plus their relatives.
     *
     * @param term              what the method matches, as --select writes it: "tag:nightly", "path:models/x", "orders"
     * @param parentsDepth      null for all generations (only with parents)
     * @param childrenDepth     null for all generations (only with children)
     * @param indirectSelection which tests come along; null for the command's --indirect-selection
     */
    record Criterion(String term, boolean childrensParents, boolean parents, Integer parentsDepth, boolean children,
                     Integer childrenDepth, IndirectSelection indirectSelection, SourceLocation at) implements SelectionSpec {
    }

    record Union(List<SelectionSpec> parts, SourceLocation at) implements SelectionSpec {
    }

    record Intersection(List<SelectionSpec> parts, SourceLocation at) implements SelectionSpec {
    }

    /** What include selects that exclude does not. */
    record Difference(SelectionSpec include, SelectionSpec exclude, SourceLocation at) implements SelectionSpec {
    }
}

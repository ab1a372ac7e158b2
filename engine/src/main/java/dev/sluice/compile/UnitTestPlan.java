package dev.sluice.compile;

import dev.sluice.adapter.Relation;
import dev.sluice.project.UnitTestSpec;

import java.util.List;

/**
 * A compiled unit test: the model's SQL (in the test's CompiledNode) reads each input from a CTE named here.
 *
 * @param model where the tested model is built (its schema holds the test's scratch table)
 */
public record UnitTestPlan(UnitTestSpec spec, List<Input> inputs, Relation model) {

    /**
     * @param input    as written in the YAML
     * @param cte      the CTE name the model's SQL reads instead of the relation
     * @param relation the real relation, whose columns give the fixture rows their types
     */
    public record Input(String input, String cte, Relation relation, UnitTestSpec.Fixture fixture) {
    }

    /** ref("x") and ref( 'x' ) are the same input: quotes made single, spaces dropped. */
    public static String normalizeInput(String input) {
        return input.replace('"', '\'').replaceAll("\\s+", "");
    }
}

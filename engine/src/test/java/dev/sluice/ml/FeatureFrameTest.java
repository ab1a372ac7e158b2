package dev.sluice.ml;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureFrameTest {

    private static Map<String, Object> row(Object id, Object a, Object b, Object label) {
        Map<String, Object> m = new HashMap<>();
        m.put("ID", id);
        m.put("a", a);
        m.put("b", b);
        m.put("churned", label);
        return m;
    }

    @Test
    void readsJdbcValuesAndImputesMeans() {
        List<Map<String, Object>> rows = List.of(
                row(1, new BigDecimal("2.5"), 10L, true),
                row(2L, null, 20, false),
                row(new BigDecimal("3"), 5.5, null, 1),
                row(4, true, 30, "false"));
        FeatureFrame f = FeatureFrame.fromRows(rows, "id", List.of("a", "b"), "churned");
        assertEquals(List.of(1L, 2L, 3L, 4L), f.ids());
        assertEquals("ID", f.idColumn());
        double meanA = (2.5 + 5.5 + 1) / 3;
        assertEquals(meanA, f.value(1, 0), 1e-12);
        assertEquals(20.0, f.value(2, 1), 1e-12);
        assertTrue(f.isImputed(1, 0) && f.isImputed(2, 1));
        assertFalse(f.isImputed(0, 0));
        assertArrayEquals(new int[]{1, 1}, f.imputedCounts());
        assertArrayEquals(new int[]{1, 0, 1, 0}, f.labels());
        assertArrayEquals(new double[]{meanA, 20}, f.imputationMeans(), 1e-12);
    }

    @Test
    void namesTheNonNumericColumn() {
        List<Map<String, Object>> rows = List.of(row(1, 1.0, "gold", 0), row(2, 2.0, "silver", 1));
        MlException e = assertThrows(MlException.class, () -> FeatureFrame.fromRows(rows, "id", List.of("a", "b"), "churned"));
        assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("gold"), e.getMessage());
        MlException missing = assertThrows(MlException.class, () -> FeatureFrame.fromRows(rows, "id", List.of("nope"), null));
        assertTrue(missing.getMessage().contains("'nope'"), missing.getMessage());
        MlException label = assertThrows(MlException.class,
                () -> FeatureFrame.fromRows(List.of(row(1, 1.0, 2.0, "maybe")), "id", List.of("a"), "churned"));
        assertTrue(label.getMessage().contains("churned"), label.getMessage());
    }

    @Test
    void allOtherColumnsByDefaultAndStandardization() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) rows.add(row("c" + i, (double) i, 7, i % 2));
        FeatureFrame f = FeatureFrame.fromRows(rows, "ID", List.of(), "churned");
        assertEquals(2, f.width());
        Standardizer s = Standardizer.fit(f);
        int a = f.featureNames().indexOf("a");
        int b = f.featureNames().indexOf("b");
        assertEquals(4.5, s.mean(a), 1e-12);
        assertEquals(Math.sqrt(8.25), s.std(a), 1e-12);
        assertEquals(1.0, s.std(b), 0); // constant column: no division by zero
        double[] x = f.row(3);
        assertArrayEquals(x, s.invert(s.apply(x)), 1e-12);
    }
}

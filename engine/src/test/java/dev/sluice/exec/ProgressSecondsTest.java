package dev.sluice.exec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Node durations on the console read as String.format("%.2fs") wrote them. */
class ProgressSecondsTest {
    @Test
    void twoDecimals() {
        double[] values = {0, 0.004, 0.006, 0.01, 0.09, 0.1, 0.994, 0.996, 1.25, 12.3456, 59.999, 3601.5};
        for (double v : values) assertEquals(String.format(java.util.Locale.ROOT, "%.2fs", v), Progress.seconds(v), "for " + v);
    }
}

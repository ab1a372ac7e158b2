package dev.sluice.adapter;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ArrowBatchesCodesTest {
    @Test
    void equalTextGetsOneCodeInOrderOfFirstAppearanceAcrossGrowth() {
        ArrowBatches.Codes codes = new ArrowBatches.Codes();
        List<String> expected = new ArrayList<>();
        // 10,000 distinct values grow the table many times; each is asked again as an equal copy (not the same
        // instance, so the identity check of the last value does not answer) and must keep its first code.
        for (int i = 0; i < 10_000; i++) {
            String s = "value-" + i;
            expected.add(s);
            assertEquals(i, codes.of(s));
            assertEquals(i, codes.of(s));
            assertEquals(i / 2, codes.of(new String(expected.get(i / 2))));
        }
        assertEquals(expected, codes.values);
    }

    @Test
    void collidingHashesStayApart() {
        ArrowBatches.Codes codes = new ArrowBatches.Codes();
        // "Aa" and "BB" share a hash code, as do their concatenations.
        List<String> colliding = List.of("AaAa", "AaBB", "BBAa", "BBBB", "Aa", "BB", "");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < colliding.size(); i++) assertEquals(i, codes.of(new String(colliding.get(i))));
        }
        assertEquals(colliding, codes.values);
    }
}

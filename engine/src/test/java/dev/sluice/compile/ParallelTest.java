package dev.sluice.compile;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Work shared through a counter must still give results in input order and the first failure by input order. */
class ParallelTest {
    private static final List<Integer> ITEMS = IntStream.range(0, 5_000).boxed().toList();

    @Test
    void resultsComeBackInInputOrder() {
        List<String> out = Parallel.mapIndexed(ITEMS, (i, x) -> i + ":" + (x * 3));
        assertEquals(ITEMS.size(), out.size());
        for (int i = 0; i < ITEMS.size(); i++) assertEquals(i + ":" + (i * 3), out.get(i));
        // Fewer items than are worth a hand-off run on the caller alone, with the same result.
        assertEquals(List.of(2, 4, 6), Parallel.map(List.of(1, 2, 3), x -> x * 2));
        assertEquals(List.of(), Parallel.map(List.<Integer>of(), x -> x));
    }

    @Test
    void theFirstFailureByInputOrderIsThrownWhicheverThreadMetItFirst() {
        IllegalStateException early = new IllegalStateException("item 1200");
        IllegalStateException late = new IllegalStateException("item 4100");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> Parallel.map(ITEMS, x -> {
            if (x == 4100) throw late;
            if (x == 1200) throw early;
            return x;
        }));
        assertSame(early, thrown);
    }

    @Test
    void anErrorOnAnyThreadReachesTheCaller() {
        AssertionError bad = new AssertionError("item 3000");
        AssertionError thrown = assertThrows(AssertionError.class, () -> Parallel.map(ITEMS, x -> {
            if (x == 3000) throw bad;
            return x;
        }));
        assertSame(bad, thrown);
    }
}

package dev.sluice.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order and errors of a workspace's close: warehouse first, then the files written beside it. */
class WorkspaceCloseTest {

    @Test
    void waitsForWritesAfterAClose() {
        List<String> order = new ArrayList<>();
        Workspace.closeThenAwait(() -> order.add("close"), () -> order.add("writes"));
        assertEquals(List.of("close", "writes"), order);
    }

    @Test
    void aFailedWriteFailsTheClose() {
        IllegalStateException writing = new IllegalStateException("cannot write run_results.json");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Workspace.closeThenAwait(() -> { }, () -> { throw writing; }));
        assertSame(writing, thrown);
    }

    @Test
    void whenBothFailTheWarehouseErrorIsThrownWithTheWriteSuppressed() {
        List<String> order = new ArrayList<>();
        IllegalStateException closing = new IllegalStateException("checkpoint failed");
        IllegalStateException writing = new IllegalStateException("cannot write run_results.json");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Workspace.closeThenAwait(
                () -> { order.add("close"); throw closing; },
                () -> { order.add("writes"); throw writing; }));
        assertSame(closing, thrown);
        assertEquals(List.of(writing), List.of(thrown.getSuppressed()));
        assertEquals(List.of("close", "writes"), order, "the writes are still waited for");
    }
}

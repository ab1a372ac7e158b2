package dev.sluice.generate;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextProgressBarTest {
    @Test
    void rendersBarPercentCountsAndRate() {
        assertEquals("transactions [##########----------]  52% 7,020,000/13,500,000 1.2M rows/s",
                TextProgressBar.render("transactions", 7_020_000, 13_500_000, 1_234_567));
        assertEquals("customers [####################] 100% 50,512/50,512 48.0K rows/s",
                TextProgressBar.render("customers", 50_512, 50_512, 48_000));
        // Nothing to do counts as done.
        assertEquals("x [####################] 100% 0/0 0 rows/s", TextProgressBar.render("x", 0, 0, 0));
    }

    @Test
    void terminalRedrawsInPlaceAndEndsTheLineWhenDone() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        TextProgressBar bar = new TextProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, now::get);
        bar.progress("t", 0, 100);
        now.set(50_000_000L);
        bar.progress("t", 10, 100); // too soon after the last redraw
        now.set(1_000_000_000L);
        bar.progress("t", 50, 100);
        now.set(2_000_000_000L);
        bar.progress("t", 100, 100);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(3, out.chars().filter(c -> c == '\r').count(), out);
        assertTrue(out.contains("\rt [##########----------]  50% 50/100 50 rows/s"), out);
        assertTrue(out.endsWith("100% 100/100 50 rows/s\n"), out);
        assertEquals(1, out.chars().filter(c -> c == '\n').count(), out);
    }

    @Test
    void plainOutputPrintsPeriodicLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        TextProgressBar bar = new TextProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, now::get);
        bar.progress("customers", 0, 10);
        now.set(1_000_000_000L);
        bar.progress("customers", 5, 10); // within five seconds: skipped
        now.set(2_000_000_000L);
        bar.progress("customers", 10, 10);
        now.set(3_000_000_000L);
        bar.progress("transactions", 0, 1_000);
        now.set(9_000_000_000L);
        bar.progress("transactions", 600, 1_000);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length, String.join("|", lines));
        assertTrue(lines[1].startsWith("customers [####################] 100% 10/10"), lines[1]);
        assertTrue(lines[3].startsWith("transactions [############--------]  60% 600/1,000 100 rows/s"), lines[3]);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).indexOf('\r') < 0);
    }
}

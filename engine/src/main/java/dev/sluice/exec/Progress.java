package dev.sluice.exec;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Prints dbt-style lines: "12:00:01  3 of 9 START sql view model main.stg ..... [RUN]". */
public final class Progress {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final PrintStream out;
    private final java.util.function.UnaryOperator<String> mask;

    public Progress(PrintStream out) {
        this(out, java.util.function.UnaryOperator.identity());
    }

    private Progress(PrintStream out, java.util.function.UnaryOperator<String> mask) {
        this.out = out;
        this.mask = mask;
    }

    /** The same output with secrets masked in every line (node messages may echo SQL or urls). */
    public Progress masking(java.util.function.UnaryOperator<String> mask) {
        return new Progress(out, mask);
    }

    public synchronized void line(String text) {
        out.println(LocalTime.now().format(TIME) + "  " + mask.apply(text));
        out.flush();
    }

    public void blank() {
        line("");
    }

    public void status(int index, int total, String text, String status) {
        String prefix = index + " of " + total + " " + text + " ";
        int dots = Math.max(3, 80 - prefix.length());
        line(prefix + ".".repeat(dots) + " [" + status + "]");
    }
}

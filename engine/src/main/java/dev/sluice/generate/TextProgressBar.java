package dev.sluice.generate;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Renders load progress as {@code transactions [##########----------]  52% 7,020,000/13,500,000 1.2M rows/s}.
 * On a terminal one line is redrawn in place (carriage return), at most ten times a second; otherwise,
 * as when output goes to a log file, a plain line is printed every few seconds and when a phase ends.
 */
public final class TextProgressBar implements ProgressListener {
    private static final int WIDTH = 20;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final long LOG_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier clock;
    private String phase;
    private long phaseStart;
    private long lastPrint;
    private int lastLength;

    /** @param clock nanosecond time source, e.g. System::nanoTime */
    public TextProgressBar(PrintStream out, boolean terminal, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
    }

    /** Redraws in place when the JVM has a console, prints plain lines otherwise. */
    public static TextProgressBar forConsole(PrintStream out) {
        return new TextProgressBar(out, System.console() != null, System::nanoTime);
    }

    @Override
    public synchronized void progress(String phase, long done, long total) {
        long now = clock.getAsLong();
        boolean started = !phase.equals(this.phase);
        if (started) {
            if (terminal && this.phase != null && lastLength > 0) out.print('\n');
            this.phase = phase;
            phaseStart = now;
            lastLength = 0;
        }
        boolean finished = done >= total;
        long every = terminal ? REDRAW_NANOS : LOG_NANOS;
        if (!started && !finished && now - lastPrint < every) return;
        lastPrint = now;
        double seconds = (now - phaseStart) / 1e9;
        String line = render(phase, done, total, seconds > 0 ? done / seconds : 0);
        if (terminal) {
            // Pad over the tail of a longer previous line; end the line once the phase is done.
            out.print('\r' + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
            if (finished) {
                out.print('\n');
                lastLength = 0;
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    static String render(String phase, long done, long total, double rowsPerSecond) {
        double fraction = total <= 0 ? 1 : Math.min(1, Math.max(0, done / (double) total));
        int filled = (int) Math.floor(fraction * WIDTH);
        return String.format(Locale.US, "%s [%s%s] %3d%% %,d/%,d %s rows/s", phase, "#".repeat(filled),
                "-".repeat(WIDTH - filled), (int) Math.floor(fraction * 100), done, total, rate(rowsPerSecond));
    }

    private static String rate(double perSecond) {
        if (perSecond >= 999_950) return String.format(Locale.US, "%.1fM", perSecond / 1e6);
        if (perSecond >= 1_000) return String.format(Locale.US, "%.1fK", perSecond / 1e3);
        return String.format(Locale.US, "%.0f", perSecond);
    }
}

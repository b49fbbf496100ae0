package org.blindspot.engine.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A one-line progress bar on standard error: fraction, a message (loss, success so far, ...),
 * elapsed time and ETA. On a terminal it redraws in place at most ten times a second; when the
 * output is not a terminal (CI, a log file) it prints a line every tenth of the way.
 */
public final class ProgressBar implements AutoCloseable {

    private static final int WIDTH = 28;
    private final String label;
    private final PrintStream out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastDecile = -1;
    private String lastLine = "";

    public ProgressBar(String label) {
        this(label, System.err, System.console() != null);
    }

    ProgressBar(String label, PrintStream out, boolean terminal) {
        this.label = label;
        this.out = out;
        this.terminal = terminal;
    }

    /** Reports {@code done} of {@code total} units, with a short message. */
    public void update(long done, long total, String message) {
        update(done, total, () -> message);
    }

    /**
     * Reports {@code done} of {@code total} units; the message is made only when a line is drawn (callers that
     * report every unit of a fast loop then format a few lines, not one per unit).
     */
    public synchronized void update(long done, long total, Supplier<String> message) {
        long now = System.nanoTime();
        double fraction = total <= 0 ? 1 : Math.min(1, done / (double) total);
        boolean draw;
        if (terminal) {
            draw = now - lastDraw > 100_000_000L || done >= total;
        } else {
            int decile = (int) Math.floor(fraction * 10);
            draw = decile != lastDecile;
            lastDecile = decile;
        }
        if (!draw) {
            return;
        }
        lastLine = render(fraction, message.get(), (now - start) / 1e9);
        if (terminal) {
            out.print("\r" + lastLine + "\u001b[K");
            out.flush();
            lastDraw = now;
        } else {
            out.println(lastLine);
        }
    }

    String render(double fraction, String message, double elapsed) {
        int filled = (int) Math.round(fraction * WIDTH);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        String eta = fraction > 0 && fraction < 1 ? " eta " + clock(elapsed * (1 - fraction) / fraction) : "";
        return String.format(Locale.ROOT, "%s [%s] %5.1f%% %s elapsed %s%s", label, bar, 100 * fraction,
                message, clock(elapsed), eta);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public synchronized void close() {
        if (terminal && !lastLine.isEmpty()) {
            out.println();
        }
        out.flush();
    }
}

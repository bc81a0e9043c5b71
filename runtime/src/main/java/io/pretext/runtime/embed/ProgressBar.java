package io.pretext.runtime.embed;

import java.io.PrintWriter;
import java.util.OptionalLong;

/**
 * Embedding progress on a terminal's error stream: a bar redrawn in place (at most five times a
 * second) when attached to a console, a line per tenth of the work otherwise, and a summary at
 * the end either way.
 */
public final class ProgressBar {

    private final PrintWriter err;
    private final boolean interactive;
    private long start = System.nanoTime();
    private OptionalLong total = OptionalLong.empty();
    private long done;
    private long lastDraw;
    private int lastTenth;

    /**
     * @param err where to draw; {@code null} draws nothing
     * @param interactive redraw in place (a console) or print plain lines (logs, CI)
     */
    public ProgressBar(PrintWriter err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
    }

    /** @return a bar that draws nothing */
    public static ProgressBar silent() {
        return new ProgressBar(null, false);
    }

    /** Starts the clock: rows/s count from the first batch, not from opening the model and scanning the data. */
    void total(OptionalLong rows) {
        this.total = rows;
        this.start = System.nanoTime();
    }

    void advance(long rows) {
        done += rows;
        if (err == null) {
            return;
        }
        long now = System.nanoTime();
        double seconds = (now - start) / 1e9;
        double rate = done / Math.max(seconds, 1e-9);
        if (interactive) {
            if (now - lastDraw < 200_000_000L) {
                return;
            }
            lastDraw = now;
            if (total.isPresent() && total.getAsLong() > 0) {
                double fraction = Math.min(1, done / (double) total.getAsLong());
                int width = 30;
                int filled = (int) Math.round(fraction * width);
                double eta = fraction > 0 ? seconds * (1 - fraction) / fraction : 0;
                err.print(String.format("\rembedding [%s%s] %3.0f%% %,d/%,d rows %,.0f rows/s ETA %s  ", "=".repeat(filled),
                        " ".repeat(width - filled), fraction * 100, done, total.getAsLong(), rate, clock(eta)));
            } else {
                err.print(String.format("\rembedding %,d rows %,.0f rows/s  ", done, rate));
            }
            err.flush();
        } else if (total.isPresent() && total.getAsLong() > 0) {
            int tenth = (int) Math.min(10, done * 10 / total.getAsLong());
            if (tenth > lastTenth && tenth < 10) {
                lastTenth = tenth;
                // the line is printed as each tenth is passed; the share shown is the true one, not the tenth
                err.println(String.format("embedding: %,d/%,d rows (%.0f%%), %,.0f rows/s", done, total.getAsLong(),
                        100.0 * done / total.getAsLong(), rate));
                err.flush();
            }
        }
    }

    void finish(long rows, int width, String target) {
        if (err == null) {
            return;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (interactive) {
            err.println();
        }
        err.println(String.format("embedded %,d rows -> %d values each in %s (%,.0f rows/s): %s", rows, width, clock(seconds),
                rows / Math.max(seconds, 1e-9), target));
        err.flush();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format("%d:%02d", s / 60, s % 60);
    }
}

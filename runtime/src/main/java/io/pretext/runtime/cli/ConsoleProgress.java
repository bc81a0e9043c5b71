package io.pretext.runtime.cli;

import io.pretext.runtime.train.ProgressListener;
import java.io.PrintWriter;

/**
 * Progress on the terminal: a redrawn bar with loss, rows/s and ETA when attached to a console,
 * one line per epoch otherwise (logs and CI stay readable).
 */
final class ConsoleProgress implements ProgressListener {

    private final PrintWriter err;
    private final boolean interactive;
    private final long start = System.nanoTime();
    private long lastDraw;

    ConsoleProgress(PrintWriter err) {
        this.err = err;
        this.interactive = System.console() != null;
    }

    @Override
    public void step(int epoch, int epochs, long step, long totalSteps, double loss, double rowsPerSecond) {
        if (!interactive) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L && step < totalSteps) {
            return;
        }
        lastDraw = now;
        double done = step / (double) totalSteps;
        int width = 30;
        int filled = (int) Math.round(done * width);
        double elapsed = (now - start) / 1e9;
        double eta = done > 0 ? elapsed * (1 - done) / done : 0;
        err.print(String.format(java.util.Locale.ROOT, "\repoch %d/%d [%s%s] %3.0f%% loss %.4f %,.0f rows/s ETA %s  ", epoch + 1, epochs, "=".repeat(filled),
                " ".repeat(width - filled), done * 100, loss, rowsPerSecond, clock(eta)));
        err.flush();
    }

    @Override
    public void interrupted(String message) {
        err.println();
        err.println(message);
        err.flush();
    }

    @Override
    public void epochEnd(int epoch, int epochs, double meanLoss, double rowsPerSecond) {
        if (interactive) {
            if (epoch == epochs - 1) {
                err.println();
            }
            return;
        }
        err.println(String.format(java.util.Locale.ROOT, "epoch %d/%d loss %.4f %,.0f rows/s elapsed %s", epoch + 1, epochs, meanLoss, rowsPerSecond,
                clock((System.nanoTime() - start) / 1e9)));
        err.flush();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return String.format("%d:%02d", s / 60, s % 60);
    }
}

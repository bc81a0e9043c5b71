package io.pretext.runtime.train;

/** Receives training progress; the CLI draws a progress bar from it, tests record it. */
public interface ProgressListener {

    /** Called after each step. */
    void step(int epoch, int epochs, long step, long totalSteps, double loss, double rowsPerSecond);

    /** Called after each epoch with its mean loss. */
    default void epochEnd(int epoch, int epochs, double meanLoss, double rowsPerSecond) {
    }

    /**
     * Called from a shutdown hook when the process is stopped (Ctrl-C) during training, with what
     * is kept and how to resume. It must be quick and must not block.
     */
    default void interrupted(String message) {
    }

    /** A listener that ignores everything. */
    static ProgressListener none() {
        return (epoch, epochs, step, totalSteps, loss, rowsPerSecond) -> {
        };
    }
}

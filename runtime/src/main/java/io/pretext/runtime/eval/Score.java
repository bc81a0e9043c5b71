package io.pretext.runtime.eval;

import io.pretext.api.error.ShapeException;

/**
 * Mean and standard deviation of repeated measurements (accuracies in [0, 1]).
 *
 * <p>The standard deviation is the population one (divisor n, numpy's default {@code np.std}),
 * as in the reference tables this project compares with; it is 0 for a single measurement.
 *
 * @param mean the average
 * @param std the population standard deviation
 * @param n the number of measurements (>= 1)
 */
public record Score(double mean, double std, int n) {
    /**
     * Validates the fields.
     *
     * @param mean the average, finite
     * @param std the population standard deviation, finite and >= 0
     * @param n the number of measurements (>= 1)
     */
    public Score {
        if (n < 1) {
            throw new ShapeException("score", "needs at least one measurement, got n = " + n);
        }
        if (!Double.isFinite(mean) || !(std >= 0) || !Double.isFinite(std)) {
            throw new ShapeException("score", "mean " + mean + " and std " + std + " must be finite, std >= 0");
        }
    }

    /**
     * @param values one or more finite measurements
     * @return their mean, population standard deviation and count
     */
    public static Score of(double... values) {
        if (values.length == 0) {
            throw new ShapeException("score", "needs at least one measurement, got none");
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return new Score(mean, Math.sqrt(squares / values.length), values.length);
    }
}

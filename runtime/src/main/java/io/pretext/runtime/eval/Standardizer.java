package io.pretext.runtime.eval;

import io.pretext.api.error.ShapeException;

/**
 * Per-column standardization, {@code (x - mean) / std}, with statistics taken from the training
 * rows only, as scikit-learn's {@code StandardScaler}: population standard deviation (divisor n)
 * and a scale of 1 for a column that is constant in the training rows (so it maps to 0 instead of
 * dividing by zero).
 */
public final class Standardizer {
    private final double[] mean;
    private final double[] scale;

    /**
     * @param mean per-column mean of the training rows
     * @param scale per-column standard deviation (positive), 1 for a constant column
     */
    public Standardizer(double[] mean, double[] scale) {
        if (mean.length != scale.length) {
            throw new ShapeException("standardize", "mean has " + mean.length + " columns, scale " + scale.length);
        }
        for (int j = 0; j < scale.length; j++) {
            if (!(scale[j] > 0) || !Double.isFinite(scale[j]) || !Double.isFinite(mean[j])) {
                throw new ShapeException("standardize", "column " + j + " has mean " + mean[j] + " and scale "
                        + scale[j] + "; need a finite mean and a finite positive scale");
            }
        }
        this.mean = mean.clone();
        this.scale = scale.clone();
    }

    /**
     * @param rows training rows (at least one), all of the same width, finite values
     * @return the statistics of {@code rows}
     */
    public static Standardizer fit(float[][] rows) {
        int width = Features.width("standardize", rows);
        int n = rows.length;
        double[] mean = new double[width];
        float[] min = rows[0].clone();
        float[] max = rows[0].clone();
        for (float[] row : rows) {
            for (int j = 0; j < width; j++) {
                float v = row[j];
                mean[j] += v;
                min[j] = Math.min(min[j], v);
                max[j] = Math.max(max[j], v);
            }
        }
        for (int j = 0; j < width; j++) {
            mean[j] /= n;
        }
        // Two passes: the textbook one-pass formula loses digits when |mean| >> std.
        double[] variance = new double[width];
        for (float[] row : rows) {
            for (int j = 0; j < width; j++) {
                double c = row[j] - mean[j];
                variance[j] += c * c;
            }
        }
        double[] scale = new double[width];
        for (int j = 0; j < width; j++) {
            // Exact constancy test: a rounding-level variance must not become a huge scale factor.
            scale[j] = min[j] == max[j] ? 1.0 : Math.sqrt(variance[j] / n);
            if (min[j] == max[j]) {
                mean[j] = min[j];
            }
        }
        return new Standardizer(mean, scale);
    }

    /** @return the number of columns */
    public int width() {
        return mean.length;
    }

    /**
     * @param rows rows of {@link #width()} columns
     * @return new standardized rows (the input is not modified)
     */
    public float[][] transform(float[][] rows) {
        Features.width("standardize", rows);
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            float[] row = rows[i];
            if (row.length != mean.length) {
                throw new ShapeException("standardize", "row " + i + " has " + row.length
                        + " columns; the statistics were fitted on " + mean.length);
            }
            float[] t = new float[row.length];
            for (int j = 0; j < row.length; j++) {
                t[j] = (float) ((row[j] - mean[j]) / scale[j]);
            }
            out[i] = t;
        }
        return out;
    }

    /** @return a copy of the per-column means */
    public double[] mean() {
        return mean.clone();
    }

    /** @return a copy of the per-column scales */
    public double[] scale() {
        return scale.clone();
    }
}

package io.pretext.runtime.report;

/**
 * Principal component analysis of a set of rows: the leading eigenvectors of their covariance,
 * found by power iteration with deflation (enough for the two or three components a picture
 * needs), in double precision. Deterministic: a fixed start vector, and each component's sign
 * chosen so that its largest coordinate is positive.
 */
public final class Pca {
    private static final int MAX_ITERATIONS = 1000;
    private static final double TOLERANCE = 1e-12;

    private Pca() {
    }

    /**
     * A projection of the rows onto their leading principal components.
     *
     * @param coordinates one row per input row, one column per component
     * @param components the unit principal axes, one row per component
     * @param explainedVariance share of the total variance each component carries
     */
    public record Projection(double[][] coordinates, double[][] components, double[] explainedVariance) {
    }

    /**
     * @param rows the data, all rows of one width; at least two
     * @param count how many components (at most the width)
     * @return the projection of the centred rows
     */
    public static Projection project(float[][] rows, int count) {
        if (rows.length < 2) {
            throw new IllegalArgumentException("PCA needs at least 2 rows, got " + rows.length);
        }
        int d = rows[0].length;
        if (count < 1 || count > d) {
            throw new IllegalArgumentException("components must be in [1, " + d + "], got " + count);
        }
        int n = rows.length;
        double[] mean = new double[d];
        for (float[] r : rows) {
            if (r.length != d) {
                throw new IllegalArgumentException("rows of different widths: " + d + " and " + r.length);
            }
            for (int j = 0; j < d; j++) {
                mean[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] cov = new double[d][d];
        double[] centered = new double[d];
        for (float[] r : rows) {
            for (int j = 0; j < d; j++) {
                centered[j] = r[j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                double ca = centered[a];
                if (ca == 0) {
                    continue;
                }
                double[] row = cov[a];
                for (int b = a; b < d; b++) {
                    row[b] += ca * centered[b];
                }
            }
        }
        double total = 0;
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= n - 1;
                cov[b][a] = cov[a][b];
            }
            total += cov[a][a];
        }
        double[][] components = new double[count][];
        double[] explained = new double[count];
        for (int c = 0; c < count; c++) {
            double[] v = start(d, c);
            for (int it = 0; it < MAX_ITERATIONS; it++) {
                double[] w = multiply(cov, v);
                // Deflation: stay orthogonal to the components already found.
                for (int p = 0; p < c; p++) {
                    double dot = dot(w, components[p]);
                    for (int j = 0; j < d; j++) {
                        w[j] -= dot * components[p][j];
                    }
                }
                double norm = Math.sqrt(dot(w, w));
                if (norm == 0) {
                    break; // no variance left in the remaining directions
                }
                for (int j = 0; j < d; j++) {
                    w[j] /= norm;
                }
                double change = 0;
                for (int j = 0; j < d; j++) {
                    change = Math.max(change, Math.abs(w[j] - v[j]));
                }
                v = w;
                if (change < TOLERANCE) {
                    break;
                }
            }
            orient(v);
            components[c] = v;
            explained[c] = total > 0 ? dot(v, multiply(cov, v)) / total : 0;
        }
        double[][] coordinates = new double[n][count];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centered[j] = rows[i][j] - mean[j];
            }
            for (int c = 0; c < count; c++) {
                coordinates[i][c] = dot(centered, components[c]);
            }
        }
        return new Projection(coordinates, components, explained);
    }

    private static double[] start(int d, int component) {
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            // Not orthogonal to any particular axis, and different per component.
            v[j] = 1.0 + 0.1 * Math.sin(1.0 + j * (component + 1.618));
        }
        double norm = Math.sqrt(dot(v, v));
        for (int j = 0; j < d; j++) {
            v[j] /= norm;
        }
        return v;
    }

    private static void orient(double[] v) {
        int arg = 0;
        for (int j = 1; j < v.length; j++) {
            if (Math.abs(v[j]) > Math.abs(v[arg])) {
                arg = j;
            }
        }
        if (v[arg] < 0) {
            for (int j = 0; j < v.length; j++) {
                v[j] = -v[j];
            }
        }
    }

    private static double[] multiply(double[][] m, double[] v) {
        double[] out = new double[v.length];
        for (int a = 0; a < m.length; a++) {
            out[a] = dot(m[a], v);
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }
}

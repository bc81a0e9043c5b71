package io.pretext.runtime.eval;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The L2-penalized logistic-regression objective, divided by {@code C * n} so that its scale (and
 * hence the gradient tolerance) does not depend on the number of rows:
 *
 * <pre>
 *   f(W, b) = (1/n) sum_i CE(x_i, y_i; W, b) + ||W||^2 / (2 C n)
 * </pre>
 *
 * which has the same minimizer as scikit-learn's {@code C * sum_i CE + ||W||^2 / 2} (the
 * intercept is not penalized). With more than two classes CE is the multinomial (softmax)
 * cross-entropy over one weight row per class; with two classes it is the binary logistic loss
 * over a single weight row, as scikit-learn fits binary problems (a two-row softmax with the same
 * penalty would be a differently regularized model).
 *
 * <p>Parameter layout: {@code theta[k * d + j]} is the weight of feature j for output k (one
 * output for two classes, else one per class), then the intercepts.
 *
 * <p>Speed: the work is two matrix products per evaluation (logits = X W^T, gradient = R^T X). Both
 * are written as long multiply-add loops over contiguous double arrays, four terms at a time, which
 * HotSpot turns into SIMD code. A float-to-double conversion inside those loops would stop the
 * vectorization (measured: 3-4x slower), so the rows are kept as doubles, once row-major for the
 * gradient and once feature-major for the logits. Rows are processed in fixed chunks in parallel and the chunk sums are
 * added in chunk order, so results do not depend on the thread schedule.
 */
final class SoftmaxObjective implements Lbfgs.DifferentiableFunction {
    private static final int CHUNK = 256;

    private final double[][] byRow;
    private final double[][][] byFeature;
    private final int[] y;
    private final int n;
    private final int d;
    private final int m;
    private final double c;
    private final double[][] partialGradient;
    private final double[] partialLoss;

    /** One worker's work arrays for one evaluation. */
    private static final class Scratch {
        final double[][] logits;
        final double[] gradientRow;

        Scratch(int outputs, int width) {
            logits = new double[outputs][CHUNK];
            gradientRow = new double[width];
        }
    }

    /**
     * @param rows standardized rows, n x d (copied to double in two layouts: 16 n d bytes)
     * @param y class indices 0..classes-1
     * @param classes number of classes (at least 2)
     * @param c inverse regularization strength
     */
    SoftmaxObjective(float[][] rows, int[] y, int classes, double c) {
        this.y = y;
        this.n = rows.length;
        this.d = rows[0].length;
        this.m = classes == 2 ? 1 : classes;
        this.c = c;
        this.byRow = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                byRow[i][j] = rows[i][j];
            }
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        // Feature-major per chunk (chunk, feature, row): short rows allocated together. One long
        // array per feature would put the rows a chunk reads a power of two apart in memory, where
        // they evict each other from the cache.
        this.byFeature = new double[chunks][d][];
        for (int chunk = 0; chunk < chunks; chunk++) {
            int from = chunk * CHUNK;
            int len = Math.min(n, from + CHUNK) - from;
            for (int j = 0; j < d; j++) {
                double[] column = new double[len];
                for (int t = 0; t < len; t++) {
                    column[t] = rows[from + t][j];
                }
                byFeature[chunk][j] = column;
            }
        }
        this.partialGradient = new double[chunks][parameterCount()];
        this.partialLoss = new double[chunks];
    }

    /** @return the number of parameters, weights then intercepts */
    int parameterCount() {
        return d * m + m;
    }

    /** @return outputs per row: 1 for a binary problem, else the number of classes */
    int outputs() {
        return m;
    }

    @Override
    public double valueAndGradient(double[] theta, double[] gradient) {
        int chunks = partialLoss.length;
        int workers = Math.min(chunks, ForkJoinPool.getCommonPoolParallelism() + 1);
        // Chunks are dealt out round-robin; each chunk's partial sums land in its own slot.
        IntStream.range(0, workers).parallel().forEach(worker -> {
            Scratch s = new Scratch(m, d);
            for (int chunk = worker; chunk < chunks; chunk += workers) {
                partialLoss[chunk] = chunk(theta, chunk * CHUNK, Math.min(n, (chunk + 1) * CHUNK),
                        partialGradient[chunk], s);
            }
        });
        int size = parameterCount();
        Arrays.fill(gradient, 0);
        double loss = 0;
        for (int chunk = 0; chunk < chunks; chunk++) {
            loss += partialLoss[chunk];
            double[] g = partialGradient[chunk];
            for (int p = 0; p < size; p++) {
                gradient[p] += g[p];
            }
        }
        double invN = 1.0 / n;
        double penaltyScale = 1.0 / (c * n);
        double penalty = 0;
        int weights = d * m;
        for (int p = 0; p < weights; p++) {
            double w = theta[p];
            penalty += w * w;
            gradient[p] = gradient[p] * invN + penaltyScale * w;
        }
        for (int p = weights; p < size; p++) {
            gradient[p] *= invN;
        }
        return loss * invN + 0.5 * penaltyScale * penalty;
    }

    /** Loss sum of rows [from, to) and its gradient sum, written (not added) into every slot of {@code g}. */
    private double chunk(double[] theta, int from, int to, double[] g, Scratch s) {
        int len = to - from;
        double[][] z = s.logits;
        logits(theta, byFeature[from / CHUNK], len, z);
        double loss = m == 1 ? binaryResiduals(from, len, z[0]) : softmaxResiduals(from, len, z);
        // z now holds dLoss/dlogits, output-major
        for (int k = 0; k < m; k++) {
            double[] r = z[k];
            // A separate row per output: HotSpot vectorizes gk[j] but not g[offset + j] here.
            double[] gk = s.gradientRow;
            Arrays.fill(gk, 0);
            int i = 0;
            for (; i + 3 < len; i += 4) {
                double r0 = r[i];
                double r1 = r[i + 1];
                double r2 = r[i + 2];
                double r3 = r[i + 3];
                double[] x0 = byRow[from + i];
                double[] x1 = byRow[from + i + 1];
                double[] x2 = byRow[from + i + 2];
                double[] x3 = byRow[from + i + 3];
                for (int j = 0; j < d; j++) {
                    gk[j] += r0 * x0[j] + r1 * x1[j] + r2 * x2[j] + r3 * x3[j];
                }
            }
            for (; i < len; i++) {
                double ri = r[i];
                double[] xi = byRow[from + i];
                for (int j = 0; j < d; j++) {
                    gk[j] += ri * xi[j];
                }
            }
            System.arraycopy(gk, 0, g, k * d, d);
            double sum = 0;
            for (int t = 0; t < len; t++) {
                sum += r[t];
            }
            g[d * m + k] = sum;
        }
        return loss;
    }

    /** z[k][t] = b_k + sum_j W[k][j] x[t][j], from one chunk's feature-major copy. */
    private void logits(double[] theta, double[][] columns, int len, double[][] z) {
        for (int k = 0; k < m; k++) {
            double[] zk = z[k];
            Arrays.fill(zk, 0, len, theta[d * m + k]);
            int offset = k * d;
            int j = 0;
            for (; j + 3 < d; j += 4) {
                double w0 = theta[offset + j];
                double w1 = theta[offset + j + 1];
                double w2 = theta[offset + j + 2];
                double w3 = theta[offset + j + 3];
                double[] x0 = columns[j];
                double[] x1 = columns[j + 1];
                double[] x2 = columns[j + 2];
                double[] x3 = columns[j + 3];
                for (int t = 0; t < len; t++) {
                    zk[t] += w0 * x0[t] + w1 * x1[t] + w2 * x2[t] + w3 * x3[t];
                }
            }
            for (; j < d; j++) {
                double w = theta[offset + j];
                double[] xj = columns[j];
                for (int t = 0; t < len; t++) {
                    zk[t] += w * xj[t];
                }
            }
        }
    }

    /** Binary logistic loss; replaces each logit with sigmoid(z) - y. */
    private double binaryResiduals(int from, int len, double[] z) {
        double loss = 0;
        for (int t = 0; t < len; t++) {
            double target = y[from + t]; // class index 0 or 1
            double logit = z[t];
            // log(1 + e^z) - y z without overflow for large |z|
            loss += (logit > 0 ? logit + Math.log1p(Math.exp(-logit)) : Math.log1p(Math.exp(logit))) - target * logit;
            z[t] = sigmoid(logit) - target;
        }
        return loss;
    }

    /** Softmax cross-entropy; replaces the logits with softmax(z) - onehot(y). */
    private double softmaxResiduals(int from, int len, double[][] z) {
        double loss = 0;
        for (int t = 0; t < len; t++) {
            int target = y[from + t];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < m; k++) {
                max = Math.max(max, z[k][t]);
            }
            double sum = 0;
            double targetLogit = z[target][t];
            for (int k = 0; k < m; k++) {
                double e = Math.exp(z[k][t] - max);
                z[k][t] = e;
                sum += e;
            }
            // CE = logsumexp(z) - z_target, with the max shifted out to avoid overflow
            loss += max + Math.log(sum) - targetLogit;
            double inv = 1.0 / sum;
            for (int k = 0; k < m; k++) {
                z[k][t] *= inv;
            }
            z[target][t] -= 1.0;
        }
        return loss;
    }

    static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }
}

package io.pretext.runtime.eval;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.PretextException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linear probe: L2-regularized logistic regression on standardized frozen features, the same
 * model as scikit-learn's {@code StandardScaler} followed by {@code LogisticRegression(C=c)} with
 * the lbfgs solver.
 *
 * <ul>
 *   <li>Features are standardized with the training rows' mean and population standard deviation
 *       (see {@link Standardizer}); test rows reuse those statistics.
 *   <li>Objective: {@code 0.5 ||W||^2 + C * sum_i CE_i}, the intercepts unpenalized. More than two
 *       classes: multinomial (softmax) cross-entropy; two classes: binary logistic loss on one
 *       weight vector, as scikit-learn does.
 *   <li>Minimized from zero with {@link Lbfgs} until the largest gradient component of the
 *       objective divided by {@code C * n} is at most {@link #gradientTolerance()}, i.e. to
 *       convergence, not to a fixed epoch count.
 * </ul>
 *
 * <p>Labels may be any ints; predictions use the same labels. An unconverged fit is logged as a
 * warning (as scikit-learn's ConvergenceWarning) and still returned.
 */
public final class LinearProbe implements Probe {
    /** Default inverse regularization strength, scikit-learn's default. */
    public static final double DEFAULT_C = 1.0;
    /** Default iteration limit, the reference's {@code max_iter=5000}. */
    public static final int DEFAULT_MAX_ITERATIONS = 5000;
    /** Default tolerance on the largest gradient component of the per-row objective. */
    public static final double DEFAULT_GRADIENT_TOLERANCE = 1e-6;

    private static final Logger LOG = LoggerFactory.getLogger(LinearProbe.class);

    private final double c;
    private final int maxIterations;
    private final double gradientTolerance;

    /** A probe with C = 1, at most 5000 iterations and gradient tolerance 1e-6. */
    public LinearProbe() {
        this(DEFAULT_C, DEFAULT_MAX_ITERATIONS, DEFAULT_GRADIENT_TOLERANCE);
    }

    /**
     * @param c inverse regularization strength (> 0); larger means a weaker penalty
     * @param maxIterations L-BFGS iteration limit (>= 1)
     * @param gradientTolerance converged when max |gradient| of the objective / (C n) is at most this (> 0)
     */
    public LinearProbe(double c, int maxIterations, double gradientTolerance) {
        if (!(c > 0) || !Double.isFinite(c)) {
            throw new InvalidOptionException("linear-probe.c", "must be a finite number > 0, was " + c);
        }
        if (maxIterations < 1) {
            throw new InvalidOptionException("linear-probe.max-iterations", "must be >= 1, was " + maxIterations);
        }
        if (!(gradientTolerance > 0)) {
            throw new InvalidOptionException("linear-probe.tolerance", "must be > 0, was " + gradientTolerance);
        }
        this.c = c;
        this.maxIterations = maxIterations;
        this.gradientTolerance = gradientTolerance;
    }

    @Override
    public String id() {
        return "linear-probe";
    }

    /** @return the inverse regularization strength C */
    public double c() {
        return c;
    }

    /** @return the L-BFGS iteration limit */
    public int maxIterations() {
        return maxIterations;
    }

    /** @return the gradient tolerance on the objective divided by C n */
    public double gradientTolerance() {
        return gradientTolerance;
    }

    /**
     * Standardizes the rows and fits the regression.
     *
     * @param features training rows, n x d, finite
     * @param labels one label per row, at least two distinct values
     * @return the fitted model
     */
    public Model fit(float[][] features, int[] labels) {
        Features.width(id(), features);
        Features.sameLength(id(), features, labels);
        int[] classes = Features.classes(labels);
        if (classes.length < 2) {
            throw new PretextException(id() + ": all " + labels.length + " training labels are " + classes[0]
                    + "; a classifier needs at least two classes");
        }
        Standardizer standardizer = Standardizer.fit(features);
        float[][] x = standardizer.transform(features);
        SoftmaxObjective objective = new SoftmaxObjective(x, Features.indexOf(labels, classes), classes.length, c);
        Lbfgs.Result result = Lbfgs.minimize(objective, new double[objective.parameterCount()],
                Lbfgs.Settings.of(maxIterations, gradientTolerance));
        if (!result.termination().converged()) {
            LOG.warn("{}: L-BFGS stopped ({}) after {} iterations with max |gradient| {} > tolerance {};"
                    + " raise the iteration limit or check the features' scale", id(), result.termination(),
                    result.iterations(), result.gradientMaxNorm(), gradientTolerance);
        } else {
            LOG.debug("{}: {} rows x {} features, {} classes: {} after {} iterations ({} evaluations)", id(),
                    x.length, standardizer.width(), classes.length, result.termination(), result.iterations(),
                    result.evaluations());
        }
        return new Model(classes, standardizer, objective.outputs(), result.solution(), result);
    }

    @Override
    public double accuracy(float[][] trainFeatures, int[] trainLabels, float[][] testFeatures, int[] testLabels) {
        return fit(trainFeatures, trainLabels).accuracy(testFeatures, testLabels);
    }

    /** A fitted linear probe: its standardization, weights and the optimizer's outcome. */
    public static final class Model {
        private final int[] classes;
        private final Standardizer standardizer;
        private final int outputs;
        private final double[] theta;
        private final Lbfgs.Result optimization;

        Model(int[] classes, Standardizer standardizer, int outputs, double[] theta, Lbfgs.Result optimization) {
            this.classes = classes;
            this.standardizer = standardizer;
            this.outputs = outputs;
            this.theta = theta;
            this.optimization = optimization;
        }

        /** @return the distinct training labels, ascending (scikit-learn's {@code classes_}) */
        public int[] classes() {
            return classes.clone();
        }

        /** @return the training statistics used to standardize inputs */
        public Standardizer standardizer() {
            return standardizer;
        }

        /**
         * @return weights on standardized features, one row per output: one row for a binary problem
         *     (positive class = {@code classes()[1]}), else one per class (scikit-learn's {@code coef_})
         */
        public double[][] coefficients() {
            int d = standardizer.width();
            double[][] w = new double[outputs][d];
            for (int k = 0; k < outputs; k++) {
                System.arraycopy(theta, k * d, w[k], 0, d);
            }
            return w;
        }

        /** @return one intercept per output (scikit-learn's {@code intercept_}) */
        public double[] intercepts() {
            double[] b = new double[outputs];
            System.arraycopy(theta, standardizer.width() * outputs, b, 0, outputs);
            return b;
        }

        /** @return how the L-BFGS run ended: iterations, final gradient, termination reason */
        public Lbfgs.Result optimization() {
            return optimization;
        }

        /**
         * @param features rows of the training width (raw, not standardized)
         * @return the predicted label of each row
         */
        public int[] predict(float[][] features) {
            Features.width("linear-probe.predict", features);
            float[][] x = standardizer.transform(features);
            int d = standardizer.width();
            int[] out = new int[x.length];
            double[] z = new double[outputs];
            for (int i = 0; i < x.length; i++) {
                float[] row = x[i];
                for (int k = 0; k < outputs; k++) {
                    double sum = theta[d * outputs + k];
                    int offset = k * d;
                    for (int j = 0; j < d; j++) {
                        sum += theta[offset + j] * row[j];
                    }
                    z[k] = sum;
                }
                if (outputs == 1) {
                    out[i] = classes[z[0] > 0 ? 1 : 0];
                } else {
                    int best = 0;
                    for (int k = 1; k < outputs; k++) {
                        if (z[k] > z[best]) {
                            best = k;
                        }
                    }
                    out[i] = classes[best];
                }
            }
            return out;
        }

        /**
         * @param features held-out rows
         * @param labels their true labels
         * @return the share predicted correctly
         */
        public double accuracy(float[][] features, int[] labels) {
            Features.sameLength("linear-probe.accuracy", features, labels);
            int[] predicted = predict(features);
            int correct = 0;
            for (int i = 0; i < labels.length; i++) {
                if (predicted[i] == labels[i]) {
                    correct++;
                }
            }
            return (double) correct / labels.length;
        }
    }
}

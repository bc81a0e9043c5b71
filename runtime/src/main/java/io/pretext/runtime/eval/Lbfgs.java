package io.pretext.runtime.eval;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.NonFiniteLossException;
import io.pretext.api.error.ShapeException;

/**
 * Limited-memory BFGS for smooth unconstrained minimization in double precision: the two-loop
 * recursion (Nocedal and Wright, Algorithm 7.4) for the search direction and a line search that
 * enforces the strong Wolfe conditions (Algorithms 3.5 and 3.6, with safeguarded cubic
 * interpolation in the zoom phase).
 *
 * <p>It stops when the largest absolute gradient component falls to {@link
 * Settings#gradientTolerance()} (converged), when an iteration lowers the value by less than
 * {@link Settings#relativeDecreaseTolerance()} relative to the value (no further progress is
 * possible in double precision), when the line search cannot find an acceptable step, or after
 * {@link Settings#maxIterations()} iterations. The result says which.
 */
public final class Lbfgs {
    private static final double C1 = 1e-4; // sufficient decrease (Armijo) constant
    private static final double C2 = 0.9; // curvature constant, the usual choice for quasi-Newton
    private static final double MAX_STEP = 1e10;

    private Lbfgs() {}

    /** A function and its gradient, evaluated together because they share most of the work. */
    @FunctionalInterface
    public interface DifferentiableFunction {
        /**
         * @param x the point; must not be modified
         * @param gradient receives the gradient at {@code x} (same length as {@code x})
         * @return the value at {@code x}
         */
        double valueAndGradient(double[] x, double[] gradient);
    }

    /**
     * Stopping rules and memory size.
     *
     * @param memory number of correction pairs kept (scipy's default is 10)
     * @param maxIterations iterations before giving up
     * @param gradientTolerance converged when max |g_i| is at most this
     * @param relativeDecreaseTolerance stop when (f_prev - f) / max(|f_prev|, |f|, 1) is at most this
     * @param maxLineSearchEvaluations function evaluations allowed per line search
     */
    public record Settings(int memory, int maxIterations, double gradientTolerance,
            double relativeDecreaseTolerance, int maxLineSearchEvaluations) {
        /**
         * Validates the settings.
         *
         * @param memory number of correction pairs kept (>= 1)
         * @param maxIterations iterations before giving up (>= 1)
         * @param gradientTolerance converged when max |g_i| is at most this (>= 0)
         * @param relativeDecreaseTolerance stop when the relative decrease is at most this (>= 0)
         * @param maxLineSearchEvaluations function evaluations allowed per line search (>= 2)
         */
        public Settings {
            if (memory < 1) {
                throw new InvalidOptionException("lbfgs.memory", "must be >= 1, was " + memory);
            }
            if (maxIterations < 1) {
                throw new InvalidOptionException("lbfgs.max-iterations", "must be >= 1, was " + maxIterations);
            }
            if (!(gradientTolerance >= 0)) {
                throw new InvalidOptionException("lbfgs.gradient-tolerance", "must be >= 0, was " + gradientTolerance);
            }
            if (!(relativeDecreaseTolerance >= 0)) {
                throw new InvalidOptionException("lbfgs.relative-decrease-tolerance",
                        "must be >= 0, was " + relativeDecreaseTolerance);
            }
            if (maxLineSearchEvaluations < 2) {
                throw new InvalidOptionException("lbfgs.max-line-search-evaluations",
                        "must be >= 2, was " + maxLineSearchEvaluations);
            }
        }

        /**
         * @param maxIterations iterations before giving up
         * @param gradientTolerance converged when max |g_i| is at most this
         * @return memory 10, relative decrease tolerance 1e-13, 40 evaluations per line search
         */
        public static Settings of(int maxIterations, double gradientTolerance) {
            return new Settings(10, maxIterations, gradientTolerance, 1e-13, 40);
        }
    }

    /** Why the minimization stopped. */
    public enum Termination {
        /** The gradient's largest component reached the tolerance. */
        GRADIENT_TOLERANCE,
        /** The value stopped decreasing measurably. */
        NO_PROGRESS,
        /** The line search found no step satisfying the Wolfe conditions. */
        LINE_SEARCH_FAILED,
        /** The iteration limit was reached first. */
        MAX_ITERATIONS;

        /** @return true for the two outcomes that mean "as good as double precision allows" */
        public boolean converged() {
            return this == GRADIENT_TOLERANCE || this == NO_PROGRESS;
        }
    }

    /**
     * @param solution the final point
     * @param value the function value there
     * @param gradientMaxNorm max |g_i| there
     * @param iterations iterations done
     * @param evaluations function-and-gradient evaluations done
     * @param termination why it stopped
     */
    public record Result(double[] solution, double value, double gradientMaxNorm, int iterations,
            int evaluations, Termination termination) {}

    /**
     * Minimizes {@code f} from {@code start}.
     *
     * @param f the function
     * @param start the starting point (not modified)
     * @param settings stopping rules
     * @return the final point and why the search stopped
     * @throws NonFiniteLossException if the function is not finite at the start
     */
    public static Result minimize(DifferentiableFunction f, double[] start, Settings settings) {
        int n = start.length;
        if (n == 0) {
            throw new ShapeException("lbfgs", "cannot minimize over zero variables");
        }
        int m = settings.memory();
        double[][] s = new double[m][n];
        double[][] y = new double[m][n];
        double[] rho = new double[m];
        double[] alphaBuf = new double[m];
        int stored = 0;
        int newest = -1;

        double[] x = start.clone();
        double[] g = new double[n];
        double fx = f.valueAndGradient(x, g);
        int evaluations = 1;
        if (!Double.isFinite(fx)) {
            throw new NonFiniteLossException(0, fx);
        }
        double[] d = new double[n];
        LineSearch search = new LineSearch(f, n);
        int iteration = 0;
        Termination termination = Termination.MAX_ITERATIONS;
        while (true) {
            if (maxAbs(g) <= settings.gradientTolerance()) {
                termination = Termination.GRADIENT_TOLERANCE;
                break;
            }
            if (iteration >= settings.maxIterations()) {
                break;
            }
            direction(g, s, y, rho, alphaBuf, stored, newest, d);
            double slope = dot(g, d);
            if (!(slope < 0)) {
                // Numerical trouble in the quasi-Newton model: restart from steepest descent.
                stored = 0;
                for (int i = 0; i < n; i++) {
                    d[i] = -g[i];
                }
                slope = dot(g, d);
            }
            double initialStep = stored == 0 ? Math.min(1.0, 1.0 / Math.sqrt(-slope)) : 1.0;
            boolean found = search.run(x, fx, g, d, slope, initialStep, settings.maxLineSearchEvaluations());
            evaluations += search.evaluations;
            if (!found) {
                termination = Termination.LINE_SEARCH_FAILED;
                if (search.bestValue < fx) {
                    System.arraycopy(search.bestX, 0, x, 0, n);
                    System.arraycopy(search.bestGradient, 0, g, 0, n);
                    fx = search.bestValue;
                    iteration++;
                }
                break;
            }
            iteration++;
            int slot = (newest + 1) % m;
            double sy = 0;
            double yy = 0;
            for (int i = 0; i < n; i++) {
                double si = search.trialX[i] - x[i];
                double yi = search.trialGradient[i] - g[i];
                s[slot][i] = si;
                y[slot][i] = yi;
                sy += si * yi;
                yy += yi * yi;
            }
            // The strong Wolfe conditions guarantee sy > 0 in exact arithmetic; skip a pair that
            // rounding made useless rather than poison the Hessian approximation.
            if (sy > 1e-16 * yy) {
                rho[slot] = 1.0 / sy;
                newest = slot;
                stored = Math.min(stored + 1, m);
            }
            double previous = fx;
            System.arraycopy(search.trialX, 0, x, 0, n);
            System.arraycopy(search.trialGradient, 0, g, 0, n);
            fx = search.trialValue;
            double scale = Math.max(Math.max(Math.abs(previous), Math.abs(fx)), 1.0);
            if ((previous - fx) / scale <= settings.relativeDecreaseTolerance()) {
                termination = maxAbs(g) <= settings.gradientTolerance()
                        ? Termination.GRADIENT_TOLERANCE : Termination.NO_PROGRESS;
                break;
            }
        }
        return new Result(x, fx, maxAbs(g), iteration, evaluations, termination);
    }

    /** Two-loop recursion: d = -H g with H the L-BFGS inverse Hessian approximation. */
    private static void direction(double[] g, double[][] s, double[][] y, double[] rho, double[] alpha,
            int stored, int newest, double[] d) {
        int n = g.length;
        int m = s.length;
        for (int i = 0; i < n; i++) {
            d[i] = -g[i];
        }
        if (stored == 0) {
            return;
        }
        for (int k = 0; k < stored; k++) {
            int idx = Math.floorMod(newest - k, m);
            double a = rho[idx] * dot(s[idx], d);
            alpha[idx] = a;
            axpy(-a, y[idx], d);
        }
        double[] yNew = y[newest];
        double gamma = dot(s[newest], yNew) / dot(yNew, yNew);
        for (int i = 0; i < n; i++) {
            d[i] *= gamma;
        }
        for (int k = stored - 1; k >= 0; k--) {
            int idx = Math.floorMod(newest - k, m);
            double b = rho[idx] * dot(y[idx], d);
            axpy(alpha[idx] - b, s[idx], d);
        }
    }

    /** Strong Wolfe line search along a descent direction. */
    private static final class LineSearch {
        private final DifferentiableFunction f;
        private final double[] trialX;
        private final double[] trialGradient;
        private final double[] bestX;
        private final double[] bestGradient;
        private double bestValue;
        private double trialValue;
        private int evaluations;
        private double[] x0;
        private double[] d;

        LineSearch(DifferentiableFunction f, int n) {
            this.f = f;
            this.trialX = new double[n];
            this.trialGradient = new double[n];
            this.bestX = new double[n];
            this.bestGradient = new double[n];
        }

        /** Value and directional derivative at x0 + step * d; remembers the lowest point seen. */
        private double[] probe(double step) {
            for (int i = 0; i < trialX.length; i++) {
                trialX[i] = x0[i] + step * d[i];
            }
            double value = f.valueAndGradient(trialX, trialGradient);
            trialValue = value;
            evaluations++;
            double slope = dot(trialGradient, d);
            if (Double.isFinite(value) && value < bestValue) {
                bestValue = value;
                System.arraycopy(trialX, 0, bestX, 0, trialX.length);
                System.arraycopy(trialGradient, 0, bestGradient, 0, trialX.length);
            }
            return new double[] {value, slope};
        }

        /**
         * @return true when a strong Wolfe step was found: it is the last point probed (trialX,
         *     trialGradient, trialValue); on false, bestX holds the lowest finite point probed
         */
        boolean run(double[] x, double fx, double[] g, double[] dir, double slope0, double step, int maxEvals) {
            this.x0 = x;
            this.d = dir;
            this.evaluations = 0;
            this.bestValue = Double.POSITIVE_INFINITY;
            double prevStep = 0;
            double prevValue = fx;
            double prevSlope = slope0;
            while (evaluations < maxEvals) {
                double[] p = probe(step);
                double value = p[0];
                double slope = p[1];
                if (!Double.isFinite(value)) {
                    // Overshot into overflow: come back towards the last good step.
                    step = prevStep + 0.1 * (step - prevStep);
                    continue;
                }
                if (value > fx + C1 * step * slope0 || (evaluations > 1 && value >= prevValue)) {
                    return zoom(fx, slope0, prevStep, prevValue, prevSlope, step, value, slope, maxEvals);
                }
                if (Math.abs(slope) <= -C2 * slope0) {
                    return true;
                }
                if (slope >= 0) {
                    return zoom(fx, slope0, step, value, slope, prevStep, prevValue, prevSlope, maxEvals);
                }
                prevStep = step;
                prevValue = value;
                prevSlope = slope;
                step = Math.min(step * 4, MAX_STEP);
            }
            return false;
        }

        private boolean zoom(double fx, double slope0, double lo, double fLo, double gLo,
                double hi, double fHi, double gHi, int maxEvals) {
            while (evaluations < maxEvals) {
                double step = cubicMinimizer(lo, fLo, gLo, hi, fHi, gHi);
                double width = Math.abs(hi - lo);
                double min = Math.min(lo, hi) + 0.1 * width;
                double max = Math.max(lo, hi) - 0.1 * width;
                if (!(step >= min && step <= max)) {
                    step = 0.5 * (lo + hi);
                }
                if (width <= 1e-16 * Math.max(1.0, Math.abs(lo))) {
                    return false;
                }
                double[] p = probe(step);
                double value = p[0];
                double slope = p[1];
                if (!Double.isFinite(value) || value > fx + C1 * step * slope0 || value >= fLo) {
                    hi = step;
                    fHi = value;
                    gHi = slope;
                } else {
                    if (Math.abs(slope) <= -C2 * slope0) {
                        return true;
                    }
                    if (slope * (hi - lo) >= 0) {
                        hi = lo;
                        fHi = fLo;
                        gHi = gLo;
                    }
                    lo = step;
                    fLo = value;
                    gLo = slope;
                }
            }
            return false;
        }
    }

    /** Minimizer of the cubic through (a, fa, ga) and (b, fb, gb); NaN when it has none. */
    static double cubicMinimizer(double a, double fa, double ga, double b, double fb, double gb) {
        if (!Double.isFinite(fb) || !Double.isFinite(gb)) {
            return Double.NaN;
        }
        double d1 = ga + gb - 3 * (fa - fb) / (a - b);
        double disc = d1 * d1 - ga * gb;
        if (disc < 0) {
            return Double.NaN;
        }
        double d2 = Math.signum(b - a) * Math.sqrt(disc);
        return b - (b - a) * (gb + d2 - d1) / (gb - ga + 2 * d2);
    }

    static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void axpy(double alpha, double[] xs, double[] ys) {
        for (int i = 0; i < ys.length; i++) {
            ys[i] += alpha * xs[i];
        }
    }

    static double maxAbs(double[] v) {
        double max = 0;
        for (double value : v) {
            max = Math.max(max, Math.abs(value));
        }
        return max;
    }
}

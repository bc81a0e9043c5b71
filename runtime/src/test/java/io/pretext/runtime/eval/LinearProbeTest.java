package io.pretext.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.PretextException;
import io.pretext.api.error.ShapeException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearProbeTest {
    private static float[][] gaussianRows(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) (r.nextGaussian() * (j + 1) + j);
            }
        }
        return x;
    }

    private static int[] randomLabels(int n, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i < classes ? i : r.nextInt(classes);
        }
        return y;
    }

    /** Central differences of the objective against its analytic gradient, at a random point. */
    private static void assertGradientMatchesFiniteDifferences(int classes) {
        float[][] x = new Standardizer(new double[] {0, 0, 0}, new double[] {1, 1, 1})
                .transform(gaussianRows(37, 3, 5));
        int[] y = randomLabels(37, classes, 6);
        SoftmaxObjective f = new SoftmaxObjective(x, y, classes, 0.7);
        SplittableRandom r = new SplittableRandom(9);
        double[] theta = new double[f.parameterCount()];
        for (int p = 0; p < theta.length; p++) {
            theta[p] = r.nextGaussian();
        }
        double[] g = new double[theta.length];
        f.valueAndGradient(theta, g);
        double h = 1e-6;
        double[] scratch = new double[theta.length];
        for (int p = 0; p < theta.length; p++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[p] += h;
            minus[p] -= h;
            double numeric = (f.valueAndGradient(plus, scratch) - f.valueAndGradient(minus, scratch)) / (2 * h);
            assertEquals(numeric, g[p], 1e-7, "d f / d theta[" + p + "] with " + classes + " classes");
        }
    }

    @Test
    void multinomialGradientMatchesFiniteDifferences() {
        assertGradientMatchesFiniteDifferences(4);
    }

    @Test
    void binaryGradientMatchesFiniteDifferences() {
        assertGradientMatchesFiniteDifferences(2);
    }

    @Test
    void objectiveAtZeroIsTheLogOfTheClassCount() {
        float[][] x = gaussianRows(10, 2, 1);
        double[] g3 = new double[2 * 3 + 3];
        assertEquals(Math.log(3), new SoftmaxObjective(x, randomLabels(10, 3, 2), 3, 1).valueAndGradient(new double[9], g3), 1e-12);
        // Binary: one logit, loss log(1 + e^0) = log 2 per row.
        double[] g2 = new double[2 + 1];
        assertEquals(Math.log(2), new SoftmaxObjective(x, randomLabels(10, 2, 2), 2, 1).valueAndGradient(new double[3], g2), 1e-12);
        // With labels 0,1 and 7 ones out of 10 at zero weights, d/db = mean(sigmoid(0) - y) = 0.5 - share of ones.
        int[] y = {1, 1, 1, 1, 1, 1, 1, 0, 0, 0};
        new SoftmaxObjective(x, y, 2, 1).valueAndGradient(new double[3], g2);
        assertEquals(0.5 - 0.7, g2[2], 1e-12);
    }

    @Test
    void separatesTwoSeparableClassesAndKeepsTheirLabels() {
        // Class 5 on the left of x0 = 0, class 9 on the right; x1 is noise.
        SplittableRandom r = new SplittableRandom(3);
        float[][] x = new float[60][];
        int[] y = new int[60];
        for (int i = 0; i < 60; i++) {
            boolean right = i % 2 == 0;
            x[i] = new float[] {(float) ((right ? 1 : -1) * (0.5 + r.nextDouble())), (float) r.nextGaussian()};
            y[i] = right ? 9 : 5;
        }
        LinearProbe.Model model = new LinearProbe().fit(x, y);
        assertArrayEquals(new int[] {5, 9}, model.classes());
        assertEquals(1.0, model.accuracy(x, y));
        assertArrayEquals(new int[] {5, 9, 9}, model.predict(new float[][] {{-3, 0}, {3, 0}, {0.8f, 5}}));
        double[][] w = model.coefficients();
        assertEquals(1, w.length, "a binary problem has one weight row");
        assertTrue(w[0][0] > 0 && Math.abs(w[0][0]) > 3 * Math.abs(w[0][1]), "x0 decides: " + w[0][0] + ", " + w[0][1]);
        assertTrue(model.optimization().termination().converged());
    }

    @Test
    void separatesThreeClassesAlongThreeDirections() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 90;
        float[][] x = new float[n][3];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 3; j++) {
                x[i][j] = (float) (0.3 * r.nextGaussian() + (j == y[i] ? 2 : 0));
            }
        }
        LinearProbe.Model model = new LinearProbe().fit(x, y);
        assertEquals(1.0, model.accuracy(x, y));
        assertEquals(3, model.coefficients().length);
        assertArrayEquals(new int[] {0, 1, 2}, model.predict(new float[][] {{3, 0, 0}, {0, 3, 0}, {0, 0, 3}}));
    }

    /**
     * scikit-learn 1.2.1 on all 150 iris rows after StandardScaler: LogisticRegression(C=1),
     * multinomial, solved with newton-cg to tol 1e-12 (/usr/bin/python3, python3-sklearn).
     */
    @Test
    void matchesScikitLearnCoefficientsOnIris() {
        ReferenceTables.Table iris = ReferenceTables.iris();
        LinearProbe.Model model = new LinearProbe(1.0, 5000, 1e-10).fit(iris.x(), iris.y());
        double[][] expected = {
            {-1.0740661548, 1.1601151169, -1.9306918597, -1.8115561243},
            {0.5878102406, -0.361840627, -0.3634310241, -0.8262695757},
            {0.4862559142, -0.7982744898, 2.2941228838, 2.6378257001}};
        double[][] w = model.coefficients();
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(expected[k], w[k], 1e-5, "class " + k);
        }
        assertArrayEquals(new double[] {-0.2052411327, 2.0748397834, -1.8695986507}, model.intercepts(), 1e-5);
    }

    /** The same, binary: versicolor (1) vs virginica (2), C = 0.5; sklearn fits one weight vector. */
    @Test
    void matchesScikitLearnCoefficientsOnABinaryProblem() {
        ReferenceTables.Table iris = ReferenceTables.iris();
        int[] rows = java.util.stream.IntStream.range(0, iris.y().length).filter(i -> iris.y()[i] > 0).toArray();
        LinearProbe.Model model = new LinearProbe(0.5, 5000, 1e-10)
                .fit(StratifiedSubsets.rows(iris.x(), rows), StratifiedSubsets.rows(iris.y(), rows));
        assertArrayEquals(new double[] {-0.1052246364, -0.4366471012, 1.7350863302, 1.9361657398},
                model.coefficients()[0], 1e-5);
        assertArrayEquals(new double[] {0.0870405158}, model.intercepts(), 1e-5);
    }

    @Test
    void predictionsDoNotDependOnTheFeaturesScale() {
        float[][] x = gaussianRows(80, 3, 11);
        int[] y = randomLabels(80, 3, 12);
        float[][] scaled = new float[80][];
        for (int i = 0; i < 80; i++) {
            scaled[i] = new float[] {x[i][0] * 1000, x[i][1] - 50, x[i][2] * 0.001f};
        }
        LinearProbe probe = new LinearProbe(1.0, 5000, 1e-9);
        assertArrayEquals(probe.fit(x, y).predict(x), probe.fit(scaled, y).predict(scaled),
                "standardization with training statistics makes the probe scale-free");
    }

    @Test
    void rejectsBadInputWithMessagesThatSayWhat() {
        LinearProbe probe = new LinearProbe();
        float[][] x = {{1, 2}, {3, 4}, {5, 6}};
        ShapeException lengths = assertThrows(ShapeException.class, () -> probe.fit(x, new int[] {0, 1}));
        assertTrue(lengths.getMessage().contains("3 feature rows but 2 labels"), lengths.getMessage());
        PretextException single = assertThrows(PretextException.class, () -> probe.fit(x, new int[] {4, 4, 4}));
        assertTrue(single.getMessage().contains("at least two classes"), single.getMessage());
        ShapeException ragged = assertThrows(ShapeException.class, () -> probe.fit(new float[][] {{1, 2}, {3}}, new int[] {0, 1}));
        assertTrue(ragged.getMessage().contains("row 1 has 1 columns"), ragged.getMessage());
        PretextException nan = assertThrows(PretextException.class,
                () -> probe.fit(new float[][] {{1, Float.NaN}, {3, 4}}, new int[] {0, 1}));
        assertTrue(nan.getMessage().contains("row 0, column 1 is NaN"), nan.getMessage());
        assertEquals("linear-probe.c", assertThrows(InvalidOptionException.class, () -> new LinearProbe(0, 10, 1e-6)).key());
        LinearProbe.Model model = probe.fit(x, new int[] {0, 1, 1});
        assertThrows(ShapeException.class, () -> model.predict(new float[][] {{1, 2, 3}}));
    }
}

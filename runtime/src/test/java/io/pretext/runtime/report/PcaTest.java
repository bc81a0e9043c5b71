package io.pretext.runtime.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** PCA finds planted directions of known variance. */
class PcaTest {
    private static final double[] U = {0.5, 0.5, 0.5, 0.5, 0};
    private static final double[] V = {0.5, -0.5, 0.5, -0.5, 0};

    /** Rows a * U + b * V + 1 + tiny noise, with std(a) = 3, std(b) = 1. */
    private static float[][] plane(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] rows = new float[n][5];
        for (int i = 0; i < n; i++) {
            double a = 3 * gaussian(r);
            double b = gaussian(r);
            for (int j = 0; j < 5; j++) {
                rows[i][j] = (float) (a * U[j] + b * V[j] + 1 + 0.01 * gaussian(r));
            }
        }
        return rows;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void findsThePlantedDirectionsInOrderOfVariance() {
        Pca.Projection p = Pca.project(plane(4000, 1), 2);
        assertTrue(Math.abs(dot(p.components()[0], U)) > 0.999, "first axis " + java.util.Arrays.toString(p.components()[0]));
        assertTrue(Math.abs(dot(p.components()[1], V)) > 0.999, "second axis " + java.util.Arrays.toString(p.components()[1]));
        assertEquals(0, dot(p.components()[0], p.components()[1]), 1e-9);
        assertEquals(1, dot(p.components()[0], p.components()[0]), 1e-9);
        assertEquals(0.9, p.explainedVariance()[0], 0.02);
        assertEquals(0.1, p.explainedVariance()[1], 0.02);
        double mean = 0;
        double var = 0;
        for (double[] c : p.coordinates()) {
            mean += c[0];
            var += c[0] * c[0];
        }
        assertEquals(0, mean / 4000, 1e-6, "coordinates are of centred rows");
        assertEquals(9, var / 4000, 0.6);
    }

    @Test
    void isDeterministicWithTheLargestCoordinatePositive() {
        float[][] rows = plane(500, 2);
        Pca.Projection a = Pca.project(rows, 2);
        Pca.Projection b = Pca.project(rows, 2);
        assertArrayEquals(a.components()[0], b.components()[0]);
        double[] c = a.components()[0];
        int arg = 0;
        for (int j = 1; j < c.length; j++) {
            arg = Math.abs(c[j]) > Math.abs(c[arg]) ? j : arg;
        }
        assertTrue(c[arg] > 0);
    }

    @Test
    void refusesTooLittleData() {
        assertThrows(IllegalArgumentException.class, () -> Pca.project(new float[][] {{1, 2}}, 1));
        assertThrows(IllegalArgumentException.class, () -> Pca.project(plane(10, 3), 6));
        float[][] constant = new float[5][3];
        Pca.Projection p = Pca.project(constant, 2);
        assertEquals(0, p.explainedVariance()[0]);
    }
}

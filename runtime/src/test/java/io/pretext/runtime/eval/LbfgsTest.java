package io.pretext.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.NonFiniteLossException;
import org.junit.jupiter.api.Test;

class LbfgsTest {
    /** Rosenbrock's banana: minimum 0 at (1, 1), a curved narrow valley that defeats naive steps. */
    private static double rosenbrock(double[] x, double[] g) {
        double a = 1 - x[0];
        double b = x[1] - x[0] * x[0];
        g[0] = -2 * a - 400 * x[0] * b;
        g[1] = 200 * b;
        return a * a + 100 * b * b;
    }

    @Test
    void findsTheRosenbrockMinimumFromTheClassicStart() {
        Lbfgs.Result r = Lbfgs.minimize(LbfgsTest::rosenbrock, new double[] {-1.2, 1}, Lbfgs.Settings.of(500, 1e-9));
        assertEquals(Lbfgs.Termination.GRADIENT_TOLERANCE, r.termination());
        assertEquals(1.0, r.solution()[0], 1e-7);
        assertEquals(1.0, r.solution()[1], 1e-7);
        assertTrue(r.value() < 1e-14, "value " + r.value());
        assertTrue(r.iterations() < 100, "iterations " + r.iterations());
    }

    @Test
    void solvesAnIllConditionedQuadraticToItsKnownMinimizer() {
        // f(x) = sum_i s_i (x_i - i)^2 / 2 with scales 1..1e4: minimizer x_i = i
        int n = 20;
        Lbfgs.DifferentiableFunction f = (x, g) -> {
            double v = 0;
            for (int i = 0; i < n; i++) {
                double s = Math.pow(1e4, i / (n - 1.0));
                double r = x[i] - i;
                g[i] = s * r;
                v += 0.5 * s * r * r;
            }
            return v;
        };
        Lbfgs.Result r = Lbfgs.minimize(f, new double[n], Lbfgs.Settings.of(1000, 1e-8));
        assertTrue(r.termination().converged(), r.termination().toString());
        for (int i = 0; i < n; i++) {
            assertEquals(i, r.solution()[i], 1e-6, "x" + i);
        }
    }

    @Test
    void stopsAtTheIterationLimitAndSaysSo() {
        Lbfgs.Result r = Lbfgs.minimize(LbfgsTest::rosenbrock, new double[] {-1.2, 1}, Lbfgs.Settings.of(3, 1e-12));
        assertEquals(Lbfgs.Termination.MAX_ITERATIONS, r.termination());
        assertEquals(3, r.iterations());
        assertTrue(r.value() < 24.2, "three steps still lower the starting value 24.2");
    }

    @Test
    void aStartAtTheMinimumNeedsNoIteration() {
        Lbfgs.Result r = Lbfgs.minimize(LbfgsTest::rosenbrock, new double[] {1, 1}, Lbfgs.Settings.of(10, 1e-9));
        assertEquals(0, r.iterations());
        assertEquals(Lbfgs.Termination.GRADIENT_TOLERANCE, r.termination());
    }

    @Test
    void rejectsANonFiniteStartAndBadSettings() {
        assertThrows(NonFiniteLossException.class,
                () -> Lbfgs.minimize((x, g) -> Double.NaN, new double[] {0}, Lbfgs.Settings.of(10, 1e-6)));
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> Lbfgs.Settings.of(0, 1e-6));
        assertEquals("lbfgs.max-iterations", e.key());
        assertThrows(InvalidOptionException.class, () -> Lbfgs.Settings.of(10, -1));
    }

    @Test
    void cubicInterpolationFindsTheMinimumOfACubic() {
        // phi(a) = (a - 0.3)^2: values 0.09 and 0.49, slopes -0.6 and 1.4 at a = 0 and a = 1
        double a = 0;
        double b = 1;
        double step = Lbfgs.cubicMinimizer(a, 0.09, -0.6, b, 0.49, 1.4);
        assertEquals(0.3, step, 1e-12);
    }
}

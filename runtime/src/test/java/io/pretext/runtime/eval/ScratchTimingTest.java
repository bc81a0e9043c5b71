package io.pretext.runtime.eval;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScratchTimingTest {
    @Test
    void timing() {
        int n = 16000, d = 256, K = 26;
        SplittableRandom r = new SplittableRandom(1);
        float[][] x = new float[n][d]; int[] y = new int[n];
        for (int i = 0; i < n; i++) { y[i] = r.nextInt(K); for (int j = 0; j < d; j++) x[i][j] = (float) (r.nextDouble() * 2 - 1); }
        SoftmaxObjective f = new SoftmaxObjective(x, y, K, 1.0);
        double[] th = new double[f.parameterCount()], g = new double[th.length];
        for (int i = 0; i < th.length; i++) th[i] = r.nextDouble() * 0.01;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int t = 0; t < 20; t++) f.valueAndGradient(th, g);
            System.out.printf("per eval %.2f ms (%.2f GFMA/s)%n", (System.nanoTime() - t0) / 20e6, 2.0 * n * d * K * 20 / (System.nanoTime() - t0));
        }
    }
}

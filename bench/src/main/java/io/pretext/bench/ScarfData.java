package io.pretext.bench;

import java.util.SplittableRandom;

/**
 * A synthetic table shaped like UCI letter (20,000 rows, 16 features drawn from 26 clusters) and
 * SCARF's corruption: each feature of a row is replaced, with probability {@code rate}, by the
 * same feature of a random row (a draw from that feature's empirical marginal). Both benchmark
 * paths get their batches from here, so the Java-side work is identical.
 */
final class ScarfData {
    static final int FEATURES = 16;

    private final float[] table;
    private final int rows;
    private final float rate;
    private final SplittableRandom random;

    ScarfData(int rows, float rate, long seed) {
        this.rows = rows;
        this.rate = rate;
        this.random = new SplittableRandom(seed);
        float[][] centers = new float[26][FEATURES];
        for (float[] c : centers) {
            for (int j = 0; j < FEATURES; j++) {
                c[j] = (float) (random.nextGaussian() * 1.5);
            }
        }
        table = new float[rows * FEATURES];
        for (int i = 0; i < rows; i++) {
            float[] c = centers[random.nextInt(centers.length)];
            for (int j = 0; j < FEATURES; j++) {
                table[i * FEATURES + j] = (float) (c[j] + random.nextGaussian());
            }
        }
    }

    /**
     * Fills one batch: random rows as anchors and their corrupted views.
     *
     * @param anchor [batch * FEATURES] output
     * @param corrupted [batch * FEATURES] output
     */
    void next(float[] anchor, float[] corrupted) {
        int batch = anchor.length / FEATURES;
        for (int i = 0; i < batch; i++) {
            int row = random.nextInt(rows);
            System.arraycopy(table, row * FEATURES, anchor, i * FEATURES, FEATURES);
            for (int j = 0; j < FEATURES; j++) {
                corrupted[i * FEATURES + j] = random.nextDouble() < rate ? table[random.nextInt(rows) * FEATURES + j]
                        : anchor[i * FEATURES + j];
            }
        }
    }
}

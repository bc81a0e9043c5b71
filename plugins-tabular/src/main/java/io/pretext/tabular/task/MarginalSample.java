package io.pretext.tabular.task;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A uniform sample of training rows (reservoir sampling, seeded), kept to draw from each
 * feature's empirical marginal: a value of column j from a random training row. When the training
 * split has no more rows than the capacity, the sample is the whole split and a draw is exactly
 * the reference's {@code x_train[randint(n), j]}. Read-only after {@link Builder#build()}, so loader
 * threads draw concurrently.
 */
final class MarginalSample {
    private final float[] values;
    private final int rows;
    private final int columns;

    private MarginalSample(float[] values, int rows, int columns) {
        this.values = values;
        this.rows = rows;
        this.columns = columns;
    }

    /**
     * @param column a raw column
     * @param random the caller's random stream
     * @return that column's value in a uniformly drawn sampled row (NaN when it was missing there)
     */
    float draw(int column, SplittableRandom random) {
        return values[random.nextInt(rows) * columns + column];
    }

    /** @return the number of rows held */
    int rows() {
        return rows;
    }

    /** Collects the sample in one pass. */
    static final class Builder {
        private final int columns;
        private final int capacity;
        private final SplittableRandom random;
        private float[] values;
        private long seen;

        /**
         * @param columns raw columns per row
         * @param capacity the most rows kept
         * @param seed seed of the reservoir
         */
        Builder(int columns, int capacity, long seed) {
            this.columns = columns;
            this.capacity = capacity;
            this.random = new SplittableRandom(seed);
            this.values = new float[Math.min(capacity, 1024) * columns];
        }

        /** @param row raw values of one training row (copied) */
        void accept(float[] row) {
            long i = seen++;
            int slot;
            if (i < capacity) {
                slot = (int) i;
                if ((slot + 1) * (long) columns > values.length) {
                    values = Arrays.copyOf(values, (int) Math.min((long) capacity * columns, 2L * values.length));
                }
            } else {
                long r = random.nextLong(i + 1);
                if (r >= capacity) {
                    return;
                }
                slot = (int) r;
            }
            System.arraycopy(row, 0, values, slot * columns, columns);
        }

        /** @return the sample; fails when no row was seen */
        MarginalSample build() {
            int rows = (int) Math.min(seen, capacity);
            if (rows == 0) {
                throw new IllegalStateException("the training split has no rows to draw marginals from");
            }
            return new MarginalSample(Arrays.copyOf(values, rows * columns), rows, columns);
        }
    }
}

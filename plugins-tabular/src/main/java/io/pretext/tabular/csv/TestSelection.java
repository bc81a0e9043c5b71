package io.pretext.tabular.csv;

import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * Which rows form the held-out test split: per stratum (class), exactly {@code round(fraction * n)}
 * of its n rows, chosen uniformly from a seed. Rows are addressed by their ordinal within the
 * stratum in file order, so a streaming pass decides each row's split without holding the rows:
 * the memory is one bit per row.
 */
final class TestSelection {
    private final BitSet[] chosen;
    private final long testRows;

    private TestSelection(BitSet[] chosen, long testRows) {
        this.chosen = chosen;
        this.testRows = testRows;
    }

    /**
     * @param strata rows per stratum
     * @param fraction share of each stratum held out, in [0, 1)
     * @param seed the split's seed
     * @return the selection
     */
    static TestSelection of(long[] strata, double fraction, long seed) {
        BitSet[] chosen = new BitSet[strata.length];
        long total = 0;
        for (int s = 0; s < strata.length; s++) {
            int n = Math.toIntExact(strata[s]);
            int take = (int) Math.round(fraction * n);
            chosen[s] = floyd(n, take, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + s));
            total += take;
        }
        return new TestSelection(chosen, total);
    }

    /** Robert Floyd's sampling of {@code take} distinct ordinals out of {@code n}, uniform over subsets. */
    private static BitSet floyd(int n, int take, SplittableRandom random) {
        BitSet set = new BitSet(n);
        for (int j = n - take; j < n; j++) {
            int r = random.nextInt(j + 1);
            set.set(set.get(r) ? j : r);
        }
        return set;
    }

    /**
     * @param stratum a stratum index
     * @param ordinal the row's 0-based position among the rows of that stratum
     * @return true when that row belongs to the test split
     */
    boolean isTest(int stratum, long ordinal) {
        return chosen[stratum].get(Math.toIntExact(ordinal));
    }

    /** @return the number of test rows */
    long testRows() {
        return testRows;
    }
}

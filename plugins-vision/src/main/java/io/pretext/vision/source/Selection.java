package io.pretext.vision.source;

import java.util.BitSet;
import java.util.SplittableRandom;

/** Which examples a {@code limit} keeps: a uniform subset of exactly k of n, drawn from a seed, in source order. */
final class Selection {
    private final BitSet kept;
    private final int count;

    private Selection(BitSet kept, int count) {
        this.kept = kept;
        this.count = count;
    }

    /**
     * @param total examples in the source
     * @param limit how many to keep (0 or &gt;= total: all)
     * @param seed the seed
     * @return the selection
     */
    static Selection of(int total, int limit, long seed) {
        if (limit == 0 || limit >= total) {
            return new Selection(null, total);
        }
        // Selection sampling (Knuth, TAOCP vol. 2, algorithm S): one pass, exactly `limit` kept.
        BitSet kept = new BitSet(total);
        SplittableRandom random = new SplittableRandom(seed);
        int needed = limit;
        for (int i = 0; i < total && needed > 0; i++) {
            if (random.nextInt(total - i) < needed) {
                kept.set(i);
                needed--;
            }
        }
        return new Selection(kept, limit);
    }

    /**
     * @param index position in the source
     * @return true when that example is kept
     */
    boolean keeps(int index) {
        return kept == null || kept.get(index);
    }

    /** @return how many examples are kept */
    int count() {
        return count;
    }
}

package io.pretext.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.PretextException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StratifiedSubsetsTest {
    /** 1000 rows: 600 of class 0, 300 of class 1, 100 of class 2, interleaved. */
    private static int[] labels() {
        return IntStream.range(0, 1000).map(i -> i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2).toArray();
    }

    private static long count(int[] labels, int[] rows, int label) {
        return Arrays.stream(rows).filter(i -> labels[i] == label).count();
    }

    @Test
    void splitHasScikitLearnsSizesAndKeepsClassShares() {
        int[] y = labels();
        StratifiedSubsets.Split split = StratifiedSubsets.trainTestSplit(y, 0.2, 0);
        assertEquals(200, split.test().length);
        assertEquals(800, split.train().length);
        assertEquals(120, count(y, split.test(), 0));
        assertEquals(60, count(y, split.test(), 1));
        assertEquals(20, count(y, split.test(), 2));
        int[] all = IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.test())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 1000).toArray(), all, "train and test are disjoint and cover every row");
        // The reference's sizes: 569 rows -> 455 / 114, 1797 -> 1437 / 360, 20000 -> 16000 / 4000.
        assertEquals(114, StratifiedSubsets.trainTestSplit(IntStream.range(0, 569).map(i -> i % 2).toArray(), 0.2, 0).test().length);
        assertEquals(360, StratifiedSubsets.trainTestSplit(IntStream.range(0, 1797).map(i -> i % 10).toArray(), 0.2, 0).test().length);
    }

    @Test
    void splitIsReproducibleBySeedAndChangesWithIt() {
        int[] y = labels();
        assertArrayEquals(StratifiedSubsets.trainTestSplit(y, 0.2, 7).test(), StratifiedSubsets.trainTestSplit(y, 0.2, 7).test());
        assertFalse(Arrays.equals(StratifiedSubsets.trainTestSplit(y, 0.2, 7).test(),
                StratifiedSubsets.trainTestSplit(y, 0.2, 8).test()));
    }

    @Test
    void leftoverRowsGoToTheLargestRemainders() {
        // 7 + 3 rows, 30% test = 3 rows: quotas 2.1 and 0.9 -> 2 + 1 (class 1 has the larger remainder).
        int[] y = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
        StratifiedSubsets.Split split = StratifiedSubsets.trainTestSplit(y, 0.3, 1);
        assertEquals(2, count(y, split.test(), 0));
        assertEquals(1, count(y, split.test(), 1));
    }

    @Test
    void aClassWithOneExampleCannotBeSplit() {
        PretextException e = assertThrows(PretextException.class,
                () -> StratifiedSubsets.trainTestSplit(new int[] {0, 0, 0, 1, 2, 2}, 0.3, 0));
        assertTrue(e.getMessage().contains("class 1 has a single example"), e.getMessage());
        assertThrows(InvalidOptionException.class, () -> StratifiedSubsets.trainTestSplit(labels(), 1.0, 0));
    }

    @Test
    void subsetKeepsTheFractionAndAtLeastOneRowPerClass() {
        int[] y = labels();
        int[] tenth = StratifiedSubsets.sample(y, 0.1, 3);
        assertEquals(100, tenth.length);
        assertEquals(60, count(y, tenth, 0));
        assertEquals(30, count(y, tenth, 1));
        assertEquals(10, count(y, tenth, 2));
        assertTrue(IntStream.range(1, tenth.length).allMatch(i -> tenth[i - 1] < tenth[i]), "ascending, no repeats");
        // 0.2% of 1000 = 2 rows, but three classes: one row each.
        int[] tiny = StratifiedSubsets.sample(y, 0.002, 3);
        assertEquals(3, tiny.length);
        for (int c = 0; c < 3; c++) {
            assertEquals(1, count(y, tiny, c), "class " + c);
        }
        assertArrayEquals(IntStream.range(0, 1000).toArray(), StratifiedSubsets.sample(y, 1.0, 3));
    }

    @Test
    void repeatsDrawDifferentSubsetsExceptAtFullFraction() {
        int[] y = labels();
        List<int[]> draws = StratifiedSubsets.repeated(y, 0.1, 5, 0);
        assertEquals(5, draws.size());
        assertFalse(Arrays.equals(draws.get(0), draws.get(1)));
        assertArrayEquals(draws.get(2), StratifiedSubsets.sample(y, 0.1, 2), "repeat r uses seed + r");
        assertEquals(1, StratifiedSubsets.repeated(y, 1.0, 5, 0).size());
        assertEquals("label-fractions",
                assertThrows(InvalidOptionException.class, () -> StratifiedSubsets.sample(y, 0, 0)).key());
        assertEquals("repeats", assertThrows(InvalidOptionException.class, () -> StratifiedSubsets.repeated(y, 0.5, 0, 0)).key());
    }
}

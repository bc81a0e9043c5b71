package io.pretext.runtime.eval;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.PretextException;
import io.pretext.api.error.ShapeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded stratified sampling: the held-out test split and the labeled subsets for label-fraction
 * experiments ("what if only 10% of the training rows had labels?").
 *
 * <p>Both keep every class's share as close to the whole as integer counts allow: each class
 * gets {@code floor(total * count_c / n)} rows, and the rows left over go to the classes with the
 * largest remainders (ties broken by the seed), as scikit-learn's stratified splitters do. Within a
 * class the rows are a seeded uniform draw without replacement. Results are sorted row indices.
 * The same labels and seed always give the same rows.
 */
public final class StratifiedSubsets {
    private StratifiedSubsets() {}

    /**
     * Row indices of a train / test split.
     *
     * @param train indices of the training rows, ascending
     * @param test indices of the held-out rows, ascending
     */
    public record Split(int[] train, int[] test) {}

    /**
     * Splits rows into training and held-out rows, stratified by label. The test split has
     * {@code ceil(testFraction * n)} rows (scikit-learn's {@code train_test_split} size); every
     * class keeps at least one row on each side.
     *
     * @param labels one label per row
     * @param testFraction share of rows held out, in (0, 1)
     * @param seed random seed
     * @return the two sets of row indices
     * @throws PretextException if a class has a single row (it cannot be on both sides)
     */
    public static Split trainTestSplit(int[] labels, double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new InvalidOptionException("test-fraction", "must be in (0, 1), was " + testFraction);
        }
        Strata strata = Strata.of(labels, "stratified split");
        for (int c = 0; c < strata.members.length; c++) {
            if (strata.members[c].length < 2) {
                throw new PretextException("stratified split: class " + strata.classes[c]
                        + " has a single example; each class needs at least 2 (one to train on, one to test)");
            }
        }
        int n = labels.length;
        int testSize = (int) Math.ceil(testFraction * n - 1e-9);
        testSize = Math.max(strata.classes.length, Math.min(testSize, n - strata.classes.length));
        SplittableRandom random = new SplittableRandom(seed);
        int[] testCounts = allocate(strata, testSize, 1, true, random);
        boolean[] isTest = new boolean[n];
        for (int c = 0; c < strata.members.length; c++) {
            int[] rows = shuffled(strata.members[c], random);
            for (int i = 0; i < testCounts[c]; i++) {
                isTest[rows[i]] = true;
            }
        }
        int[] test = new int[testSize];
        int[] train = new int[n - testSize];
        int t = 0;
        int r = 0;
        for (int i = 0; i < n; i++) {
            if (isTest[i]) {
                test[t++] = i;
            } else {
                train[r++] = i;
            }
        }
        return new Split(train, test);
    }

    /**
     * A stratified subset holding {@code fraction} of the rows, at least one of every class: its
     * size is {@code max(round(fraction * n), classes)}. A fraction of 1 returns every row.
     *
     * @param labels one label per row
     * @param fraction share of rows kept, in (0, 1]
     * @param seed random seed
     * @return ascending row indices into {@code labels}
     */
    public static int[] sample(int[] labels, double fraction, long seed) {
        checkFraction(fraction);
        Strata strata = Strata.of(labels, "label subset");
        int n = labels.length;
        if (fraction == 1.0) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int size = Math.max((int) Math.round(fraction * n), strata.classes.length);
        SplittableRandom random = new SplittableRandom(seed);
        int[] counts = allocate(strata, size, 1, false, random);
        int[] out = new int[size];
        int o = 0;
        for (int c = 0; c < strata.members.length; c++) {
            int[] rows = shuffled(strata.members[c], random);
            System.arraycopy(rows, 0, out, o, counts[c]);
            o += counts[c];
        }
        Arrays.sort(out);
        return out;
    }

    /**
     * {@code repeats} independent subsets of the same fraction, repeat r drawn with seed
     * {@code seed + r}. A fraction of 1 has only one possible subset, so it returns one.
     *
     * @param labels one label per row
     * @param fraction share of rows kept, in (0, 1]
     * @param repeats number of subsets (>= 1)
     * @param seed seed of the first subset
     * @return the subsets, each as ascending row indices
     */
    public static List<int[]> repeated(int[] labels, double fraction, int repeats, long seed) {
        checkFraction(fraction);
        if (repeats < 1) {
            throw new InvalidOptionException("repeats", "must be >= 1, was " + repeats);
        }
        int count = fraction == 1.0 ? 1 : repeats;
        List<int[]> out = new ArrayList<>(count);
        for (int r = 0; r < count; r++) {
            out.add(sample(labels, fraction, seed + r));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * @param source a matrix
     * @param rows row indices
     * @return the selected rows (shared, not copied)
     */
    public static float[][] rows(float[][] source, int[] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = source[rows[i]];
        }
        return out;
    }

    /**
     * @param source labels
     * @param rows row indices
     * @return the selected labels
     */
    public static int[] rows(int[] source, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = source[rows[i]];
        }
        return out;
    }

    private static void checkFraction(double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new InvalidOptionException("label-fractions", "each fraction must be in (0, 1], was " + fraction);
        }
    }

    /**
     * Largest-remainder allocation of {@code total} rows over the classes, each class between
     * {@code min} and its size (minus one when {@code keepOneOut}, so the other side keeps a row).
     */
    static int[] allocate(Strata strata, int total, int min, boolean keepOneOut, SplittableRandom random) {
        int classes = strata.members.length;
        int n = 0;
        for (int[] m : strata.members) {
            n += m.length;
        }
        int[] alloc = new int[classes];
        double[] remainder = new double[classes];
        int[] max = new int[classes];
        int sum = 0;
        for (int c = 0; c < classes; c++) {
            int size = strata.members[c].length;
            max[c] = keepOneOut ? size - 1 : size;
            double quota = (double) total * size / n;
            int floor = (int) Math.floor(quota);
            remainder[c] = quota - floor;
            alloc[c] = Math.max(min, Math.min(floor, max[c]));
            sum += alloc[c];
        }
        // Order: largest remainder first, ties in a seeded random order.
        Integer[] order = new Integer[classes];
        for (int c = 0; c < classes; c++) {
            order[c] = c;
        }
        double[] tieBreak = new double[classes];
        for (int c = 0; c < classes; c++) {
            tieBreak[c] = random.nextDouble();
        }
        Arrays.sort(order, (a, b) -> remainder[a] != remainder[b]
                ? Double.compare(remainder[b], remainder[a]) : Double.compare(tieBreak[a], tieBreak[b]));
        while (sum < total) {
            boolean changed = false;
            for (int i = 0; i < classes && sum < total; i++) {
                int c = order[i];
                if (alloc[c] < max[c]) {
                    alloc[c]++;
                    sum++;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
        }
        while (sum > total) {
            boolean changed = false;
            for (int i = classes - 1; i >= 0 && sum > total; i--) {
                int c = order[i];
                if (alloc[c] > min) {
                    alloc[c]--;
                    sum--;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
        }
        if (sum != total) {
            throw new IllegalStateException("cannot allocate " + total + " rows over " + classes + " classes");
        }
        return alloc;
    }

    private static int[] shuffled(int[] rows, SplittableRandom random) {
        int[] out = rows.clone();
        for (int i = out.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = out[i];
            out[i] = out[j];
            out[j] = tmp;
        }
        return out;
    }

    /** Row indices grouped by class, classes ascending. */
    static final class Strata {
        final int[] classes;
        final int[][] members;

        private Strata(int[] classes, int[][] members) {
            this.classes = classes;
            this.members = members;
        }

        static Strata of(int[] labels, String op) {
            if (labels == null || labels.length == 0) {
                throw new ShapeException(op, "no labels; need at least one row");
            }
            int[] classes = Features.classes(labels);
            int[] index = Features.indexOf(labels, classes);
            int[] counts = new int[classes.length];
            for (int c : index) {
                counts[c]++;
            }
            int[][] members = new int[classes.length][];
            for (int c = 0; c < classes.length; c++) {
                members[c] = new int[counts[c]];
            }
            int[] fill = new int[classes.length];
            for (int i = 0; i < index.length; i++) {
                int c = index[i];
                members[c][fill[c]++] = i;
            }
            return new Strata(classes, members);
        }
    }
}

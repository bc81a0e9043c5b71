package io.pretext.runtime.eval;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.ShapeException;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Weighted k-nearest-neighbour classifier on cosine similarity, the k-NN protocol of
 * self-supervised learning papers (Wu et al. 2018, "Unsupervised Feature Learning via
 * Non-Parametric Instance Discrimination"; used by DINO and others):
 *
 * <ul>
 *   <li>rows are L2-normalized (a zero row stays zero and is equally similar, 0, to everything);
 *   <li>the k training rows with the highest cosine similarity {@code s} to a query vote for their
 *       label with weight {@code exp(s / temperature)} (default k = 20, temperature = 0.07);
 *   <li>the label with the largest total weight wins; exact ties go to the smallest label.
 * </ul>
 *
 * <p>Optionally ({@link #standardize()}) features are first standardized with the training rows'
 * statistics, which centres raw tabular features (often all positive) so that cosine similarity
 * measures more than their overall direction. The self-supervised protocol does not standardize;
 * it is off by default. With k larger than the training set every training row votes.
 */
public final class KnnClassifier implements Probe {
    /** Default number of neighbours. */
    public static final int DEFAULT_K = 20;
    /** Default vote temperature. */
    public static final double DEFAULT_TEMPERATURE = 0.07;

    private static final int QUERY_BLOCK = 16;
    private static final int TRAIN_BLOCK = 2048;

    private final int k;
    private final double temperature;
    private final boolean standardize;

    /** k = 20, temperature 0.07, no standardization. */
    public KnnClassifier() {
        this(DEFAULT_K, DEFAULT_TEMPERATURE, false);
    }

    /**
     * @param k neighbours that vote (>= 1)
     * @param temperature vote temperature (> 0): weight {@code exp(similarity / temperature)}
     * @param standardize whether to standardize features with training statistics before the
     *     cosine similarity
     */
    public KnnClassifier(int k, double temperature, boolean standardize) {
        if (k < 1) {
            throw new InvalidOptionException("knn.k", "must be >= 1, was " + k);
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new InvalidOptionException("knn.temperature", "must be a finite number > 0, was " + temperature);
        }
        this.k = k;
        this.temperature = temperature;
        this.standardize = standardize;
    }

    @Override
    public String id() {
        return "knn";
    }

    /** @return the number of neighbours that vote */
    public int k() {
        return k;
    }

    /** @return the vote temperature */
    public double temperature() {
        return temperature;
    }

    /** @return whether features are standardized before the similarity */
    public boolean standardize() {
        return standardize;
    }

    /**
     * Memorizes the training rows.
     *
     * @param features training rows, n x d, finite
     * @param labels one label per row
     * @return the classifier ready to predict
     */
    public Model fit(float[][] features, int[] labels) {
        int d = Features.width(id(), features);
        Features.sameLength(id(), features, labels);
        Standardizer standardizer = standardize ? Standardizer.fit(features) : null;
        float[][] rows = standardizer == null ? features : standardizer.transform(features);
        int n = rows.length;
        // Feature-major copy: the similarity loop then runs along contiguous training rows (vectorizable).
        float[][] byFeature = new float[d][n];
        for (int i = 0; i < n; i++) {
            float[] unit = unit(rows[i]);
            for (int j = 0; j < d; j++) {
                byFeature[j][i] = unit[j];
            }
        }
        int[] classes = Features.classes(labels);
        return new Model(this, standardizer, byFeature, classes, Features.indexOf(labels, classes));
    }

    @Override
    public double accuracy(float[][] trainFeatures, int[] trainLabels, float[][] testFeatures, int[] testLabels) {
        return fit(trainFeatures, trainLabels).accuracy(testFeatures, testLabels);
    }

    private static float[] unit(float[] row) {
        double norm = 0;
        for (float v : row) {
            norm += (double) v * v;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[row.length];
        if (norm > 0) {
            for (int j = 0; j < row.length; j++) {
                out[j] = (float) (row[j] / norm);
            }
        }
        return out;
    }

    /** A fitted k-NN classifier: the normalized training rows and their labels. */
    public static final class Model {
        private final KnnClassifier settings;
        private final Standardizer standardizer;
        private final float[][] byFeature;
        private final int[] classes;
        private final int[] labelIndex;

        Model(KnnClassifier settings, Standardizer standardizer, float[][] byFeature, int[] classes, int[] labelIndex) {
            this.settings = settings;
            this.standardizer = standardizer;
            this.byFeature = byFeature;
            this.classes = classes;
            this.labelIndex = labelIndex;
        }

        /**
         * @param features query rows of the training width
         * @return the predicted label of each row
         */
        public int[] predict(float[][] features) {
            int d = Features.width("knn.predict", features);
            if (d != byFeature.length) {
                throw new ShapeException("knn.predict", "query rows have " + d + " columns; the training rows had "
                        + byFeature.length);
            }
            float[][] rows = standardizer == null ? features : standardizer.transform(features);
            int[] out = new int[rows.length];
            int blocks = (rows.length + QUERY_BLOCK - 1) / QUERY_BLOCK;
            IntStream.range(0, blocks).parallel().forEach(b -> {
                int from = b * QUERY_BLOCK;
                int to = Math.min(rows.length, from + QUERY_BLOCK);
                predictBlock(rows, from, to, out);
            });
            return out;
        }

        private void predictBlock(float[][] rows, int from, int to, int[] out) {
            int n = labelIndex.length;
            int d = byFeature.length;
            int q = to - from;
            float[][] queries = new float[q][];
            for (int r = 0; r < q; r++) {
                queries[r] = unit(rows[from + r]);
            }
            float[][] sims = new float[q][n];
            // Blocked over training rows so one block of the feature-major matrix stays in cache
            // while every query of the block reads it.
            for (int start = 0; start < n; start += TRAIN_BLOCK) {
                int end = Math.min(n, start + TRAIN_BLOCK);
                for (int j = 0; j < d; j++) {
                    float[] column = byFeature[j];
                    for (int r = 0; r < q; r++) {
                        float qj = queries[r][j];
                        if (qj == 0f) {
                            continue;
                        }
                        float[] s = sims[r];
                        for (int i = start; i < end; i++) {
                            s[i] += qj * column[i];
                        }
                    }
                }
            }
            int kk = Math.min(settings.k, n);
            int[] heapIndex = new int[kk];
            float[] heapSim = new float[kk];
            double[] votes = new double[classes.length];
            for (int r = 0; r < q; r++) {
                int size = topK(sims[r], kk, heapIndex, heapSim);
                Arrays.fill(votes, 0);
                float top = Float.NEGATIVE_INFINITY;
                for (int h = 0; h < size; h++) {
                    top = Math.max(top, heapSim[h]);
                }
                for (int h = 0; h < size; h++) {
                    // Shifted by the top similarity: same ranking, no overflow at tiny temperatures.
                    votes[labelIndex[heapIndex[h]]] += Math.exp((heapSim[h] - top) / settings.temperature);
                }
                int best = 0;
                for (int c = 1; c < votes.length; c++) {
                    if (votes[c] > votes[best]) {
                        best = c;
                    }
                }
                out[from + r] = classes[best];
            }
        }

        /**
         * Selects the k largest similarities with a min-heap (ties: the lower training index wins,
         * so results do not depend on anything but the data).
         *
         * @return the number selected (k)
         */
        private static int topK(float[] sims, int k, int[] heapIndex, float[] heapSim) {
            int size = 0;
            for (int i = 0; i < sims.length; i++) {
                float s = sims[i];
                if (size < k) {
                    heapIndex[size] = i;
                    heapSim[size] = s;
                    siftUp(heapIndex, heapSim, size);
                    size++;
                } else if (s > heapSim[0]) {
                    heapIndex[0] = i;
                    heapSim[0] = s;
                    siftDown(heapIndex, heapSim, size);
                }
            }
            return size;
        }

        /** Heap order: smaller similarity first; among equal ones the larger index (evicted first). */
        private static boolean before(int[] idx, float[] sim, int a, int b) {
            return sim[a] < sim[b] || (sim[a] == sim[b] && idx[a] > idx[b]);
        }

        private static void siftUp(int[] idx, float[] sim, int pos) {
            while (pos > 0) {
                int parent = (pos - 1) / 2;
                if (!before(idx, sim, pos, parent)) {
                    return;
                }
                swap(idx, sim, pos, parent);
                pos = parent;
            }
        }

        private static void siftDown(int[] idx, float[] sim, int size) {
            int pos = 0;
            while (true) {
                int left = 2 * pos + 1;
                if (left >= size) {
                    return;
                }
                int child = left + 1 < size && before(idx, sim, left + 1, left) ? left + 1 : left;
                if (!before(idx, sim, child, pos)) {
                    return;
                }
                swap(idx, sim, pos, child);
                pos = child;
            }
        }

        private static void swap(int[] idx, float[] sim, int a, int b) {
            int ti = idx[a];
            idx[a] = idx[b];
            idx[b] = ti;
            float ts = sim[a];
            sim[a] = sim[b];
            sim[b] = ts;
        }

        /**
         * @param features held-out rows
         * @param labels their true labels
         * @return the share predicted correctly
         */
        public double accuracy(float[][] features, int[] labels) {
            Features.sameLength("knn.accuracy", features, labels);
            int[] predicted = predict(features);
            int correct = 0;
            for (int i = 0; i < labels.length; i++) {
                if (predicted[i] == labels[i]) {
                    correct++;
                }
            }
            return (double) correct / labels.length;
        }
    }
}

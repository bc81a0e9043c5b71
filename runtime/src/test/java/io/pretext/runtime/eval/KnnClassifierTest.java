package io.pretext.runtime.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.ShapeException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KnnClassifierTest {
    private static float[] at(double degrees) {
        double a = Math.toRadians(degrees);
        return new float[] {(float) Math.cos(a), (float) Math.sin(a)};
    }

    @Test
    void oneNeighbourIsTheSmallestAngleRegardlessOfLength() {
        float[][] train = {at(0), at(90), at(180)};
        int[] labels = {1, 2, 3};
        KnnClassifier.Model model = new KnnClassifier(1, 0.07, false).fit(train, labels);
        // Cosine ignores length: a long vector at 80 degrees is nearest to the one at 90.
        float[] far = at(80);
        far[0] *= 50;
        far[1] *= 50;
        assertArrayEquals(new int[] {1, 2, 3, 2}, model.predict(new float[][] {at(10), at(100), at(175), far}));
    }

    @Test
    void votesAreWeightedBySimilarityThroughTheTemperature() {
        // Query at 0 degrees. Neighbours: class 7 at +-40 degrees (two votes, cos 0.766), class 8 at
        // 5 degrees (one vote, cos 0.996). Weights exp(cos / T):
        //   T = 0.07: 2 exp(10.94) = 1.13e5 < exp(14.23) = 1.51e6 -> 8 (closeness wins)
        //   T = 10:   2 exp(0.0766) = 2.16 > exp(0.0996) = 1.10  -> 7 (majority wins)
        float[][] train = {at(40), at(-40), at(5), at(180)};
        int[] labels = {7, 7, 8, 9};
        float[][] query = {at(0)};
        assertArrayEquals(new int[] {8}, new KnnClassifier(3, 0.07, false).fit(train, labels).predict(query));
        assertArrayEquals(new int[] {7}, new KnnClassifier(3, 10, false).fit(train, labels).predict(query));
    }

    @Test
    void kLargerThanTheTrainingSetLetsEveryRowVote() {
        float[][] train = {at(0), at(10), at(170)};
        int[] labels = {0, 0, 1};
        assertArrayEquals(new int[] {0}, new KnnClassifier(50, 1.0, false).fit(train, labels).predict(new float[][] {at(100)}));
    }

    @Test
    void exactTiesGoToTheSmallestLabel() {
        float[][] train = {at(45), at(-45)};
        int[] labels = {4, 3};
        assertArrayEquals(new int[] {3}, new KnnClassifier(2, 0.07, false).fit(train, labels).predict(new float[][] {at(0)}));
    }

    @Test
    void classifiesTwoGaussianClustersAlmostPerfectly() {
        SplittableRandom r = new SplittableRandom(2);
        int n = 400;
        float[][] x = new float[n][8];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int j = 0; j < 8; j++) {
                x[i][j] = (float) (r.nextGaussian() + (j == y[i] ? 4 : 0));
            }
        }
        float[][] train = Arrays.copyOfRange(x, 0, 300);
        int[] trainY = Arrays.copyOfRange(y, 0, 300);
        double accuracy = new KnnClassifier().accuracy(train, trainY, Arrays.copyOfRange(x, 300, n),
                Arrays.copyOfRange(y, 300, n));
        assertTrue(accuracy >= 0.97, "accuracy " + accuracy);
    }

    @Test
    void standardizationLetsCosineSeeMagnitudeDifferences() {
        // Class 1 is class 0 scaled by about 3: the same directions, so raw cosine confuses them.
        // Query (0.9, 1.0) is at 48.0 degrees; the nearest raw angle is (3, 3.3) at 47.7 -> class 1.
        // Centred on the training mean (2.125, 2.125) the query points to about 223 degrees, next
        // to class 0's rows (220 and 231 degrees), while class 1 points to about 53 and 37.
        float[][] train = {{1, 1.2f}, {1.2f, 1}, {3, 3.3f}, {3.3f, 3}};
        int[] labels = {0, 0, 1, 1};
        float[][] query = {{0.9f, 1.0f}};
        assertArrayEquals(new int[] {1}, new KnnClassifier(1, 0.07, false).fit(train, labels).predict(query));
        assertArrayEquals(new int[] {0}, new KnnClassifier(1, 0.07, true).fit(train, labels).predict(query));
    }

    @Test
    void rejectsBadSettingsAndShapes() {
        assertEquals("knn.k", assertThrows(InvalidOptionException.class, () -> new KnnClassifier(0, 0.07, false)).key());
        assertEquals("knn.temperature",
                assertThrows(InvalidOptionException.class, () -> new KnnClassifier(5, 0, false)).key());
        KnnClassifier knn = new KnnClassifier();
        assertThrows(ShapeException.class, () -> knn.fit(new float[][] {{1, 2}}, new int[] {0, 1}));
        KnnClassifier.Model model = knn.fit(new float[][] {{1, 2}, {2, 1}}, new int[] {0, 1});
        ShapeException e = assertThrows(ShapeException.class, () -> model.predict(new float[][] {{1, 2, 3}}));
        assertTrue(e.getMessage().contains("3 columns"), e.getMessage());
    }
}

package io.pretext.runtime.eval;

/**
 * An evaluation protocol on frozen features: fit on labeled training rows, report accuracy on
 * held-out rows. {@link LinearProbe} and {@link KnnClassifier} are the two built in; the runtime
 * can add others (fine-tuning, for one, which trains the encoder too and so works from raw inputs
 * rather than frozen features, behind the same method).
 */
public interface Probe {
    /** @return the protocol's name as shown in evaluation tables, e.g. {@code linear-probe} */
    String id();

    /**
     * Fits on the training rows and scores the test rows.
     *
     * @param trainFeatures training rows (n x d), finite
     * @param trainLabels one class label per training row
     * @param testFeatures held-out rows (m x d)
     * @param testLabels one class label per held-out row
     * @return the share of held-out rows classified correctly, in [0, 1]
     */
    double accuracy(float[][] trainFeatures, int[] trainLabels, float[][] testFeatures, int[] testLabels);
}

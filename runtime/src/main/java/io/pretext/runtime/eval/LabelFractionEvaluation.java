package io.pretext.runtime.eval;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.ShapeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs protocols over feature sets at several label fractions and collects an {@link
 * EvaluationTable}. For each fraction the labeled subsets of the training rows are drawn once
 * ({@link StratifiedSubsets#repeated}) and shared by every feature set and protocol, so the rows
 * of the table differ only in their features: the comparison the table exists for (raw features
 * vs an untrained encoder vs the pretrained one). Every subset is scored on the whole held-out
 * split.
 *
 * @param fractions label fractions, each in (0, 1], e.g. 1.0, 0.1, 0.01
 * @param repeats subsets per fraction below 1 (a fraction of 1 is measured once)
 * @param seed seed of the first subset (repeat r uses {@code seed + r})
 */
public record LabelFractionEvaluation(List<Double> fractions, int repeats, long seed) {
    private static final Logger LOG = LoggerFactory.getLogger(LabelFractionEvaluation.class);

    /**
     * Validates the settings.
     *
     * @param fractions label fractions, each in (0, 1]
     * @param repeats subsets per fraction below 1 (>= 1)
     * @param seed seed of the first subset
     */
    public LabelFractionEvaluation {
        fractions = List.copyOf(fractions);
        if (fractions.isEmpty()) {
            throw new InvalidOptionException("label-fractions", "needs at least one fraction, e.g. 1.0, 0.1");
        }
        for (double f : fractions) {
            if (!(f > 0 && f <= 1)) {
                throw new InvalidOptionException("label-fractions", "each fraction must be in (0, 1], was " + f);
            }
        }
        if (repeats < 1) {
            throw new InvalidOptionException("repeats", "must be >= 1, was " + repeats);
        }
    }

    /**
     * Features of the same rows from one source (raw columns, an encoder's embeddings, ...).
     *
     * @param name the table row, e.g. {@code raw}, {@code random}, {@code pretrained}
     * @param train features of the training rows, in the order of the training labels
     * @param test features of the held-out rows, in the order of the test labels
     */
    public record FeatureSet(String name, float[][] train, float[][] test) {
        /**
         * Checks that nothing is missing.
         *
         * @param name the table row
         * @param train features of the training rows
         * @param test features of the held-out rows
         */
        public FeatureSet {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(test, "test");
        }
    }

    /**
     * @param title the table's title
     * @param featureSets the rows of the table
     * @param trainLabels labels of the training rows
     * @param testLabels labels of the held-out rows
     * @param probes the protocols, one group of columns each
     * @return the table, cells in the order feature set, protocol, fraction
     */
    public EvaluationTable run(String title, List<FeatureSet> featureSets, int[] trainLabels, int[] testLabels,
            List<? extends Probe> probes) {
        if (featureSets.isEmpty() || probes.isEmpty()) {
            throw new InvalidOptionException("evaluate", "needs at least one feature set and one protocol");
        }
        for (FeatureSet set : featureSets) {
            Features.sameLength("evaluate " + set.name() + " (train)", set.train(), trainLabels);
            Features.sameLength("evaluate " + set.name() + " (test)", set.test(), testLabels);
            if (set.train().length > 0 && set.test().length > 0 && set.train()[0].length != set.test()[0].length) {
                throw new ShapeException("evaluate " + set.name(), "training rows have " + set.train()[0].length
                        + " columns, test rows " + set.test()[0].length);
            }
        }
        List<List<int[]>> subsets = new ArrayList<>();
        for (double fraction : fractions) {
            subsets.add(StratifiedSubsets.repeated(trainLabels, fraction, repeats, seed));
        }
        EvaluationTable.Builder table = EvaluationTable.builder(title);
        for (FeatureSet set : featureSets) {
            for (Probe probe : probes) {
                for (int f = 0; f < fractions.size(); f++) {
                    List<int[]> draws = subsets.get(f);
                    double[] accuracies = new double[draws.size()];
                    for (int r = 0; r < draws.size(); r++) {
                        int[] rows = draws.get(r);
                        accuracies[r] = probe.accuracy(StratifiedSubsets.rows(set.train(), rows),
                                StratifiedSubsets.rows(trainLabels, rows), set.test(), testLabels);
                    }
                    Score score = Score.of(accuracies);
                    LOG.info("{} / {} / {} labels: {}", set.name(), probe.id(),
                            EvaluationTable.percent(fractions.get(f)), score);
                    table.add(set.name(), probe.id(), fractions.get(f), score);
                }
            }
        }
        return table.build();
    }
}

package io.pretext.runtime.train;

import io.pretext.api.DataSource;
import io.pretext.api.data.Dataset;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.PretextException;
import io.pretext.runtime.eval.StratifiedSubsets;
import io.pretext.runtime.recipe.ComponentChoice;
import io.pretext.runtime.recipe.ResolvedRecipe;
import java.util.ArrayList;
import java.util.List;

/**
 * A recipe's data in memory, split for pretraining and evaluation.
 *
 * @param info the data set's description
 * @param train the rows pretraining sees (and the probes' training rows)
 * @param test held-out rows; empty for unlabeled data
 */
public record LoadedData(DatasetInfo info, List<Example> train, List<Example> test) {

    /**
     * Loads the recipe's data: with a {@code test-data} section, all of {@code data} trains and all of
     * {@code test-data} tests; otherwise labeled data gets a stratified, seeded held-out split
     * ({@code evaluation.test-fraction}) and unlabeled data is all training rows.
     */
    public static LoadedData load(ResolvedRecipe recipe) {
        DatasetInfo info;
        List<Example> all;
        try (Dataset dataset = open(recipe.data(), recipe)) {
            info = dataset.info();
            all = dataset.load();
        }
        if (all.isEmpty()) {
            throw new PretextException("data source '" + recipe.data().id() + "' yielded no examples (" + info.name() + ")");
        }
        if (recipe.testData().isPresent()) {
            try (Dataset testSet = open(recipe.testData().get(), recipe)) {
                if (!testSet.info().classNames().equals(info.classNames())) {
                    throw new InvalidOptionException("test-data", "its classes " + testSet.info().classNames()
                            + " differ from the training data's " + info.classNames());
                }
                if (!testSet.info().exampleShape().equals(info.exampleShape())) {
                    throw new InvalidOptionException("test-data", "'" + testSet.info().name() + "' has examples of shape "
                            + testSet.info().exampleShape() + ", the training data '" + info.name() + "' " + info.exampleShape()
                            + " (for images, set test-data's height, width and channels as data's)");
                }
                return new LoadedData(info, all, testSet.load());
            }
        }
        if (info.numClasses() == 0) {
            return new LoadedData(info, all, List.of());
        }
        int[] labels = all.stream().mapToInt(Example::label).toArray();
        int[] counts = new int[info.numClasses()];
        for (int label : labels) {
            if (label >= 0 && label < counts.length) {
                counts[label]++;
            }
        }
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] == 1) {
                throw new PretextException("'" + info.name() + "': class '" + info.classNames().get(c) + "' has a single example; the "
                        + "held-out split needs at least 2 per class (one to train on, one to test); fix its label, or give a "
                        + "test-data section");
            }
        }
        StratifiedSubsets.Split split = StratifiedSubsets.trainTestSplit(labels, recipe.evaluation().testFraction(), recipe.seed());
        return new LoadedData(info, rows(all, split.train()), rows(all, split.test()));
    }

    /** Opens the data source a recipe section names. */
    static Dataset open(ComponentChoice section, ResolvedRecipe recipe) {
        return ((DataSource) section.require().provider()).open(section.options(), recipe.baseDirectory());
    }

    private static List<Example> rows(List<Example> all, int[] indices) {
        List<Example> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(all.get(i));
        }
        return out;
    }
}

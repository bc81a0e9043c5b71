package io.pretext.runtime.train;

import io.pretext.api.DataSource;
import io.pretext.api.data.ColumnSpec;
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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LoadedData.class);


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
                // tables are lined up by column name below; other examples must have the training shape
                if (info.schema().isEmpty() && !testSet.info().exampleShape().equals(info.exampleShape())) {
                    throw new InvalidOptionException("test-data", "'" + testSet.info().name() + "' has examples of shape "
                            + testSet.info().exampleShape() + ", the training data '" + info.name() + "' " + info.exampleShape()
                            + " (for images, set test-data's height, width and channels as data's)");
                }
                return new LoadedData(info, all, alignTable(info, testSet.info(), testSet.load()));
            }
        }
        if (info.numClasses() == 0) {
            return new LoadedData(info, all, List.of());
        }
        // rows without a label (an empty label cell) pretrain but take no part in the held-out split
        List<Example> unlabeled = all.stream().filter(e -> e.label() < 0).toList();
        if (!unlabeled.isEmpty()) {
            LOG.warn("{} of {} rows of '{}' have no label: they are pretraining rows only, outside the held-out split",
                    unlabeled.size(), all.size(), info.name());
            all = all.stream().filter(e -> e.label() >= 0).toList();
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
        List<Example> train = new ArrayList<>(rows(all, split.train()));
        train.addAll(unlabeled);
        return new LoadedData(info, train, rows(all, split.test()));
    }

    /**
     * Rows of a separate test table in the training table's layout: columns matched by name and
     * category indices by category name (a category the training data lacks becomes missing), so
     * a test file with other column order or fewer categories is encoded as the training data is.
     */
    static List<Example> alignTable(DatasetInfo train, DatasetInfo test, List<Example> rows) {
        if (train.schema().isEmpty() || test.schema().isEmpty() || train.schema().equals(test.schema())) {
            return rows;
        }
        List<ColumnSpec> want = train.schema().get().columns();
        List<ColumnSpec> have = test.schema().get().columns();
        int[] source = new int[want.size()];
        int[][] categories = new int[want.size()][];
        List<String> missing = new ArrayList<>();
        for (int j = 0; j < want.size(); j++) {
            ColumnSpec w = want.get(j);
            source[j] = -1;
            for (int k = 0; k < have.size(); k++) {
                if (have.get(k).name().equals(w.name())) {
                    source[j] = k;
                    break;
                }
            }
            if (source[j] < 0) {
                missing.add(w.name());
                continue;
            }
            ColumnSpec h = have.get(source[j]);
            if (h.kind() != w.kind()) {
                throw new InvalidOptionException("test-data", "column '" + w.name() + "' is " + h.kind().name().toLowerCase()
                        + " in '" + test.name() + "' but " + w.kind().name().toLowerCase() + " in the training data '" + train.name()
                        + "'; set test-data's categorical/numeric options as data's");
            }
            if (w.kind() == ColumnSpec.Kind.CATEGORICAL) {
                categories[j] = h.categories().stream().mapToInt(w.categories()::indexOf).toArray();
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidOptionException("test-data", "'" + test.name() + "' lacks the training data's column(s) " + missing);
        }
        long unseen = 0;
        List<Example> out = new ArrayList<>(rows.size());
        for (Example e : rows) {
            float[] values = ((Example.TableRow) e).values();
            float[] aligned = new float[want.size()];
            for (int j = 0; j < aligned.length; j++) {
                float v = values[source[j]];
                if (categories[j] != null && !Float.isNaN(v)) {
                    int c = (int) v;
                    int mapped = c >= 0 && c < categories[j].length ? categories[j][c] : -1;
                    if (mapped < 0) {
                        unseen++;
                    }
                    v = mapped < 0 ? Float.NaN : mapped;
                }
                aligned[j] = v;
            }
            out.add(new Example.TableRow(aligned, e.label()));
        }
        LOG.info("test-data '{}': columns and categories lined up with the training data '{}' by name", test.name(), train.name());
        if (unseen > 0) {
            LOG.warn("test-data '{}': {} cells hold categories the training data lacks; they are encoded as missing", test.name(), unseen);
        }
        return out;
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

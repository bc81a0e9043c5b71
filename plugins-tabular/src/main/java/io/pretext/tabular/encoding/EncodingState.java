package io.pretext.tabular.encoding;

import io.pretext.api.data.ColumnSpec;
import io.pretext.api.data.TableSchema;
import io.pretext.api.error.PretextException;
import io.pretext.api.model.PreprocessingState;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an encoding keeps of the training data, and how it is written to and read from a
 * {@link PreprocessingState}. Names, under {@code tabular/}:
 * <ul>
 *   <li>{@code mean}, {@code scale}, {@code cardinality} [columns], {@code missing-indicators} [1]: tensors;</li>
 *   <li>{@code columns}: the feature columns' names, a list of text;</li>
 *   <li>{@code categories/J}: the category names of categorical column J (0-based), a list of text.</li>
 * </ul>
 * Encoders saved before the state could hold text have name hashes (tensors) under
 * {@code columns} and {@code categories/J}, or no {@code columns} at all; they are read as well.
 *
 * @param indicators whether numeric columns get a missing-value indicator
 * @param mean per column, the training mean (0 for categorical columns)
 * @param scale per column, 1 / the training standard deviation (1 for categorical and constant columns)
 * @param cardinality per column, its number of categories (0 for numeric columns)
 * @param columns the columns' names; empty for the oldest encoders, which line columns up by position
 * @param categories per column, its categories' names (empty for numeric columns)
 */
record EncodingState(boolean indicators, float[] mean, float[] scale, int[] cardinality, Optional<SavedNames> columns,
                     List<Optional<SavedNames>> categories) {

    static final String MEAN = "tabular/mean";
    static final String SCALE = "tabular/scale";
    static final String CARDINALITY = "tabular/cardinality";
    static final String INDICATORS = "tabular/missing-indicators";
    static final String COLUMNS = "tabular/columns";
    static final String CATEGORIES = "tabular/categories/";

    /** Checks that every per-column array has one entry per column. */
    EncodingState {
        int d = cardinality.length;
        if (mean.length != d || scale.length != d || categories.size() != d || columns.map(c -> c.size() != d).orElse(false)) {
            throw new PretextException("the saved table encoding is inconsistent: " + d + " columns' categories, " + mean.length
                    + " means, " + scale.length + " scales" + columns.map(c -> ", " + c.size() + " column names").orElse(""));
        }
        categories = List.copyOf(categories);
    }

    /**
     * The state of an encoding fitted now: names as text.
     *
     * @param schema the columns it was fitted on
     * @param indicators whether numeric columns get a missing-value indicator
     * @param mean per-column means
     * @param scale per-column scales
     * @return the state
     */
    static EncodingState fitted(TableSchema schema, boolean indicators, float[] mean, float[] scale) {
        List<ColumnSpec> columns = schema.columns();
        int[] cardinality = columns.stream().mapToInt(c -> c.kind() == ColumnSpec.Kind.CATEGORICAL ? c.categories().size() : 0).toArray();
        List<Optional<SavedNames>> categories = columns.stream()
                .map(c -> c.kind() == ColumnSpec.Kind.CATEGORICAL ? Optional.<SavedNames>of(new SavedNames.Text(c.categories()))
                        : Optional.<SavedNames>empty())
                .toList();
        return new EncodingState(indicators, mean, scale, cardinality,
                Optional.of(new SavedNames.Text(columns.stream().map(ColumnSpec::name).toList())), categories);
    }

    /** @return the number of columns */
    int width() {
        return cardinality.length;
    }

    /** @return this state as a task's preprocessing state */
    PreprocessingState write() {
        int d = width();
        float[] card = new float[d];
        for (int j = 0; j < d; j++) {
            card[j] = cardinality[j];
        }
        PreprocessingState out = PreprocessingState.EMPTY
                .withTensor(MEAN, HostTensor.of(Shape.of(d), mean.clone()))
                .withTensor(SCALE, HostTensor.of(Shape.of(d), scale.clone()))
                .withTensor(CARDINALITY, HostTensor.of(Shape.of(d), card))
                .withTensor(INDICATORS, HostTensor.of(Shape.of(1), new float[] {indicators ? 1f : 0f}));
        for (int j = 0; j < d; j++) {
            if (categories.get(j).isPresent()) {
                out = categories.get(j).get().addTo(out, CATEGORIES + j);
            }
        }
        if (columns.isPresent()) {
            out = columns.get().addTo(out, COLUMNS);
        }
        return out;
    }

    /**
     * @param state a saved preprocessing state
     * @return what it holds of a table encoding
     * @throws PretextException when it was not written by a tabular task
     */
    static EncodingState read(PreprocessingState state) {
        for (String name : List.of(MEAN, SCALE, CARDINALITY, INDICATORS)) {
            if (!state.tensors().containsKey(name)) {
                throw new PretextException("the saved preprocessing state has no '" + name + "'; it was not written by a tabular task "
                        + "(has " + state.names() + ")");
            }
        }
        float[] card = state.tensor(CARDINALITY).data();
        int d = card.length;
        int[] cardinality = new int[d];
        List<Optional<SavedNames>> categories = new ArrayList<>(d);
        for (int j = 0; j < d; j++) {
            cardinality[j] = (int) card[j];
            if (cardinality[j] == 0) {
                categories.add(Optional.empty());
                continue;
            }
            int column = j + 1;
            SavedNames names = names(state, CATEGORIES + j).orElseThrow(() -> new PretextException("the saved preprocessing state "
                    + "has no category names of its categorical column " + column));
            if (names.size() != cardinality[j]) {
                throw new PretextException("the saved preprocessing state names " + names.size() + " categories of its column "
                        + column + ", which has " + cardinality[j]);
            }
            categories.add(Optional.of(names));
        }
        return new EncodingState(state.tensor(INDICATORS).data()[0] != 0, state.tensor(MEAN).data().clone(),
                state.tensor(SCALE).data().clone(), cardinality, names(state, COLUMNS), categories);
    }

    private static Optional<SavedNames> names(PreprocessingState state, String key) {
        if (state.lists().containsKey(key)) {
            return Optional.of(new SavedNames.Text(state.list(key)));
        }
        if (state.tensors().containsKey(key)) {
            return Optional.of(new SavedNames.Hashed(state.tensor(key)));
        }
        return Optional.empty();
    }
}

package io.pretext.tabular.encoding;

import io.pretext.api.data.ColumnSpec;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.data.TableSchema;
import io.pretext.api.error.PretextException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.PreprocessingState;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * Turns raw table rows into what an encoder sees: numeric columns standardized with the training
 * split's mean and standard deviation (missing values become the mean, i.e. 0, plus an optional
 * 0/1 indicator column), categorical columns one-hot (a missing value is all zeros). Every tabular
 * task encodes through this one class, so a checkpoint's encoder always sees the same columns.
 *
 * <p>Its parts: {@link ColumnStatistics} fits it on the training split; {@link EncodingState} is
 * what a checkpoint keeps ({@link #state()}: statistics, column and category names) and reads back;
 * {@link SchemaMatch} finds the fitted columns and categories in new data by name, so
 * {@link #restore} rebuilds exactly the encoding pretraining used.
 *
 * <p>Immutable and thread-safe: loader threads encode concurrently.
 */
public final class TableEncoding {

    /** Option: which columns get a missing-value indicator. */
    public static final String MISSING_INDICATORS = "missing-indicators";

    /** The encoding options every tabular task declares. */
    public static final List<OptionSpec> OPTIONS = List.of(OptionSpec.choice(MISSING_INDICATORS, "none",
            "add a 0/1 'was missing' input after each numeric column (numeric), or only impute the training mean (none); "
                    + "a missing category is always all zeros", "none", "numeric"));

    private final EncodingState fitted;
    private final SchemaMatch match;
    private final int[] offset;
    private final int width;

    TableEncoding(EncodingState fitted, SchemaMatch match) {
        this.fitted = fitted;
        this.match = match;
        int d = fitted.width();
        this.offset = new int[d];
        int w = 0;
        for (int j = 0; j < d; j++) {
            offset[j] = w;
            int k = fitted.cardinality()[j];
            w += k > 0 ? k : fitted.indicators() ? 2 : 1;
        }
        this.width = w;
    }

    private static int slots(ColumnSpec column, boolean indicators) {
        return column.kind() == ColumnSpec.Kind.CATEGORICAL ? column.categories().size() : indicators ? 2 : 1;
    }

    private static boolean indicators(Options options) {
        return options.getString(MISSING_INDICATORS).equals("numeric");
    }

    /**
     * @param data a table's description
     * @return its schema
     * @throws PretextException when the data is not a table
     */
    public static TableSchema schemaOf(DatasetInfo data) {
        return data.schema().orElseThrow(() -> new PretextException("data '" + data.name() + "' is " + data.modality()
                + " data without a table schema; tabular tasks need a table (e.g. data source csv)"));
    }

    /**
     * The width the encoder sees, from the schema and options alone (not from statistics), so an
     * evaluation run on another file of the same schema builds the same encoder.
     *
     * @param schema the table's feature columns
     * @param options the task's options (with {@link #OPTIONS})
     * @return the encoded width
     */
    public static int width(TableSchema schema, Options options) {
        boolean ind = indicators(options);
        return schema.columns().stream().mapToInt(c -> slots(c, ind)).sum();
    }

    /**
     * @param schema the table's feature columns
     * @param options the task's options (with {@link #OPTIONS})
     * @return an accumulator of training-split statistics
     */
    public static ColumnStatistics fitter(TableSchema schema, Options options) {
        return new ColumnStatistics(schema, indicators(options));
    }

    /**
     * Rebuilds the encoding a checkpoint was trained with.
     *
     * @param schema the schema of the data now at hand
     * @param options the task's options
     * @param state the saved preprocessing state (names as text, or as hashes in encoders saved before)
     * @return the same encoding as at training time: the trained width and one-hot positions, a
     *     category this data has and pretraining did not encoded as missing
     * @throws PretextException when the data's columns (names or kind) or the options differ from the saved ones
     */
    public static TableEncoding restore(TableSchema schema, Options options, PreprocessingState state) {
        EncodingState saved = EncodingState.read(state);
        if (saved.indicators() != indicators(options)) {
            throw new PretextException("the checkpoint was trained with " + options.key(MISSING_INDICATORS) + "="
                    + (saved.indicators() ? "numeric" : "none") + "; set the task option to the same value");
        }
        return new TableEncoding(saved, SchemaMatch.of(schema, saved));
    }

    /** @return the number of raw feature columns */
    public int columns() {
        return fitted.width();
    }

    /** @return the encoded width */
    public int width() {
        return width;
    }

    /** @return the schema the encoding is for: the fitted columns, as the data at hand describes them */
    public TableSchema schema() {
        return match.schema();
    }

    /**
     * @param column a raw column index
     * @return the first encoded position of that column
     */
    public int offset(int column) {
        return offset[column];
    }

    /**
     * @param column a raw column index
     * @return how many encoded positions that column takes
     */
    public int span(int column) {
        return (column + 1 < offset.length ? offset[column + 1] : width) - offset[column];
    }

    /**
     * Encodes one raw row into {@code out[at .. at + width())}, overwriting every position.
     *
     * @param row raw values: numbers, category indices, NaN for missing
     * @param out the destination
     * @param at where the row starts in {@code out}
     */
    public void encode(float[] row, float[] out, int at) {
        if (row.length != match.dataWidth()) {
            throw new ShapeException("table-encoding", "row has " + row.length + " values, the table has " + match.dataWidth()
                    + " feature columns");
        }
        int[] cardinality = fitted.cardinality();
        float[] mean = fitted.mean();
        float[] scale = fitted.scale();
        int[] columnOf = match.columnOf();
        boolean indicators = fitted.indicators();
        for (int j = 0; j < cardinality.length; j++) {
            float v = row[columnOf[j]];
            int o = at + offset[j];
            int k = cardinality[j];
            if (k == 0) {
                boolean missing = Float.isNaN(v);
                out[o] = missing ? 0f : (v - mean[j]) * scale[j];
                if (indicators) {
                    out[o + 1] = missing ? 1f : 0f;
                }
            } else {
                Arrays.fill(out, o, o + k, 0f);
                if (!Float.isNaN(v)) {
                    int c = (int) v;
                    int[] map = match.categoryMap()[j];
                    if (map != null) {
                        c = c >= 0 && c < map.length ? map[c] : -1;
                    }
                    if (c >= 0 && c < k) {
                        out[o + c] = 1f;
                    }
                }
            }
        }
    }

    /**
     * @param rows table rows
     * @return the rows encoded, [rows, width]
     */
    public HostTensor.Floats encode(List<Example> rows) {
        float[] out = new float[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            encode(row(rows.get(i)), out, i * width);
        }
        return HostTensor.of(Shape.of(rows.size(), width), out);
    }

    /**
     * @param example an example
     * @return its values, when it is a table row
     * @throws ShapeException naming what it is otherwise
     */
    public static float[] row(Example example) {
        if (example instanceof Example.TableRow r) {
            return r.values();
        }
        throw new ShapeException("table-encoding", "expects table rows, got a " + example.modality() + " example");
    }

    /**
     * @return what a checkpoint keeps, named {@code tabular/...}: the statistics as tensors, the
     *     column and category names as text (see {@link EncodingState})
     */
    public PreprocessingState state() {
        return fitted.write();
    }

    /**
     * @param column a numeric column
     * @return its training mean
     */
    public float mean(int column) {
        return fitted.mean()[column];
    }

    /**
     * @param column a numeric column
     * @return 1 / its training standard deviation (1 for a constant column)
     */
    public float scale(int column) {
        return fitted.scale()[column];
    }
}

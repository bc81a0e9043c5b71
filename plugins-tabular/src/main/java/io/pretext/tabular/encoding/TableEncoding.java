package io.pretext.tabular.encoding;

import io.pretext.api.data.ColumnSpec;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.data.TableSchema;
import io.pretext.api.error.PretextException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns raw table rows into what an encoder sees: numeric columns standardized with the training
 * split's mean and standard deviation (missing values become the mean, i.e. 0, plus an optional
 * 0/1 indicator column), categorical columns one-hot (a missing value is all zeros). Every tabular
 * task encodes through this one class, so a checkpoint's encoder always sees the same columns.
 *
 * <p>The fitted statistics are the {@linkplain #state() preprocessing state} a checkpoint keeps;
 * {@link #restore} rebuilds exactly the same encoding from it, and checks that the data's schema
 * (column kinds, categories) is the one the state was fitted on.
 *
 * <p>Immutable and thread-safe: loader threads encode concurrently.
 */
public final class TableEncoding {
    private static final Logger LOG = LoggerFactory.getLogger(TableEncoding.class);

    /** Option: which columns get a missing-value indicator. */
    public static final String MISSING_INDICATORS = "missing-indicators";

    /** The encoding options every tabular task declares. */
    public static final List<OptionSpec> OPTIONS = List.of(OptionSpec.choice(MISSING_INDICATORS, "none",
            "add a 0/1 'was missing' input after each numeric column (numeric), or only impute the training mean (none); "
                    + "a missing category is always all zeros", "none", "numeric"));

    /** Names of the preprocessing-state tensors. */
    static final String MEAN = "tabular/mean";
    static final String SCALE = "tabular/scale";
    static final String CARDINALITY = "tabular/cardinality";
    static final String INDICATORS = "tabular/missing-indicators";
    static final String CATEGORIES = "tabular/categories/";
    /** The feature columns' name hashes, [d, 2] (written since the encoding lines columns up by name). */
    static final String COLUMNS = "tabular/columns";

    private final TableSchema schema;
    private final boolean indicators;
    private final float[] mean;
    private final float[] scale;
    private final int[] cardinality;
    private final int[] offset;
    private final int width;

    /** Per categorical column, the data's category index to the encoded one (-1: unseen); null where they agree. */
    private final int[][] categoryMap;
    /** Per categorical column, the name hashes of the categories the encoding was fitted on (null for numeric columns). */
    private final HostTensor.Floats[] fittedCategories;
    /** The name hashes of the columns the encoding was fitted on, or null (an encoding saved before columns had names). */
    private final HostTensor.Floats fittedColumns;
    /** For each encoded column, where it is in a data row: the data's columns may come in another order, or with more. */
    private final int[] columnOf;
    /** How many values a data row has. */
    private final int dataWidth;

    private TableEncoding(TableSchema schema, boolean indicators, float[] mean, float[] scale) {
        this(schema, indicators, mean, scale, schema.columns().stream()
                        .mapToInt(c -> c.kind() == ColumnSpec.Kind.CATEGORICAL ? c.categories().size() : 0).toArray(),
                new int[schema.width()][], schema.columns().stream()
                        .map(c -> c.kind() == ColumnSpec.Kind.CATEGORICAL ? hashes(c.categories()) : null).toArray(HostTensor.Floats[]::new),
                hashes(schema.columns().stream().map(ColumnSpec::name).toList()),
                java.util.stream.IntStream.range(0, schema.width()).toArray(), schema.width());
    }

    private TableEncoding(TableSchema schema, boolean indicators, float[] mean, float[] scale, int[] cardinality, int[][] categoryMap,
                          HostTensor.Floats[] fittedCategories, HostTensor.Floats fittedColumns, int[] columnOf, int dataWidth) {
        this.schema = schema;
        this.fittedCategories = fittedCategories;
        this.fittedColumns = fittedColumns;
        this.columnOf = columnOf;
        this.dataWidth = dataWidth;
        this.indicators = indicators;
        this.mean = mean;
        this.scale = scale;
        this.cardinality = cardinality;
        this.categoryMap = categoryMap;
        int d = schema.width();
        this.offset = new int[d];
        int w = 0;
        for (int j = 0; j < d; j++) {
            offset[j] = w;
            w += cardinality[j] > 0 ? cardinality[j] : indicators ? 2 : 1;
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
    public static Fitter fitter(TableSchema schema, Options options) {
        return new Fitter(schema, indicators(options));
    }

    /**
     * Rebuilds the encoding a checkpoint was trained with.
     *
     * @param schema the schema of the data now at hand
     * @param options the task's options
     * @param state the saved preprocessing state
     * @return the same encoding as at training time: the trained width and one-hot positions, a
     *     category this data has and pretraining did not encoded as missing
     * @throws PretextException when the data's columns (count or kind) or the options differ from the saved ones
     */
    public static TableEncoding restore(TableSchema schema, Options options, ParameterSet state) {
        for (String name : List.of(MEAN, SCALE, CARDINALITY, INDICATORS)) {
            if (!state.names().contains(name)) {
                throw new PretextException("the saved preprocessing state has no '" + name + "'; it was not written by a tabular task "
                        + "(has " + state.names() + ")");
            }
        }
        float[] mean = state.get(MEAN).data();
        float[] scale = state.get(SCALE).data();
        float[] card = state.get(CARDINALITY).data();
        int d = card.length;
        int[] columnOf = lineUpColumns(schema, state, d);
        boolean savedIndicators = state.get(INDICATORS).data()[0] != 0;
        if (savedIndicators != indicators(options)) {
            throw new PretextException("the checkpoint was trained with " + MISSING_INDICATORS + "=" + (savedIndicators ? "numeric" : "none")
                    + "; set the task option to the same value");
        }
        List<ColumnSpec> ordered = new java.util.ArrayList<>(d);
        int[] cardinality = new int[d];
        int[][] categoryMap = new int[d][];
        HostTensor.Floats[] fitted = new HostTensor.Floats[d];
        for (int j = 0; j < d; j++) {
            ColumnSpec c = schema.columns().get(columnOf[j]);
            ordered.add(c);
            int saved = (int) card[j];
            boolean categoricalNow = c.kind() == ColumnSpec.Kind.CATEGORICAL;
            if ((saved > 0) != categoricalNow) {
                throw new PretextException("column " + (columnOf[j] + 1) + " '" + c.name() + "' is " + c.kind().name().toLowerCase()
                        + " in this data but was " + (saved == 0 ? "numeric" : "categorical") + " when the checkpoint was trained; "
                        + "set the data source's categorical/numeric options as they were");
            }
            cardinality[j] = saved;
            if (saved > 0) {
                fitted[j] = state.get(CATEGORIES + j);
                categoryMap[j] = mapCategories(c, fitted[j]);
            }
        }
        HostTensor.Floats columns = state.names().contains(COLUMNS) ? state.get(COLUMNS) : null;
        return new TableEncoding(new TableSchema(ordered), savedIndicators, mean.clone(), scale.clone(), cardinality, categoryMap, fitted,
                columns, columnOf, schema.width());
    }

    /**
     * Finds each trained column in this data: by name when the state has the columns' names, by
     * position (same count) for an older state. Columns of this data that pretraining did not
     * read are left out, with a warning.
     *
     * @return for each trained column, its index in this data's rows
     */
    private static int[] lineUpColumns(TableSchema schema, ParameterSet state, int trained) {
        if (!state.names().contains(COLUMNS)) {
            if (schema.width() != trained) {
                throw new PretextException("the checkpoint was trained on a table of " + trained + " feature columns; this data has "
                        + schema.width() + " (" + names(schema) + "): give it the columns pretraining read, and the same label column "
                        + "(data.label)");
            }
            return java.util.stream.IntStream.range(0, trained).toArray();
        }
        long[] wanted = keys(state.get(COLUMNS));
        long[] here = keys(hashes(schema.columns().stream().map(ColumnSpec::name).toList()));
        Map<Long, Integer> byKey = new java.util.HashMap<>();
        for (int k = here.length - 1; k >= 0; k--) {
            byKey.put(here[k], k); // the first of duplicate names
        }
        int[] columnOf = new int[trained];
        int found = 0;
        for (int j = 0; j < trained; j++) {
            columnOf[j] = byKey.getOrDefault(wanted[j], -1);
            found += columnOf[j] >= 0 ? 1 : 0;
        }
        if (found < trained) {
            throw new PretextException("the checkpoint was trained on " + trained + " feature columns; " + found + " of them are in this "
                    + "data by name (its columns: " + names(schema) + "): give it the columns pretraining read, and the same label "
                    + "column (data.label)");
        }
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (int c : columnOf) {
            used.add(c);
        }
        List<String> extra = new java.util.ArrayList<>();
        for (int k = 0; k < schema.width(); k++) {
            if (!used.contains(k)) {
                extra.add(schema.columns().get(k).name());
            }
        }
        if (!extra.isEmpty()) {
            LOG.warn("columns {} were not in the pretraining table; they are left out", extra);
        }
        for (int j = 0; j < trained; j++) {
            if (columnOf[j] != j) {
                LOG.info("this data's columns come in another order than in pretraining; they are lined up by name");
                break;
            }
        }
        return columnOf;
    }

    /**
     * Lines a column's categories in this data up with the ones it had in pretraining (known by
     * their name hashes): the one-hot position of a category stays the one it was trained with;
     * a category pretraining never saw is encoded as missing (all zeros) and named in a warning.
     *
     * @return this data's category index to the trained one, or null when the lists are equal
     */
    private static int[] mapCategories(ColumnSpec column, HostTensor.Floats saved) {
        long[] trainedKeys = keys(saved);
        // an encoder saved before 48-bit hashes has one 24-bit hash per category
        long[] here = saved.shape().rank() == 1 ? keys(legacyHashes(column.categories())) : keys(hashes(column.categories()));
        if (java.util.Arrays.equals(trainedKeys, here)) {
            return null;
        }
        Map<Long, Integer> trained = new java.util.HashMap<>();
        for (int k = 0; k < trainedKeys.length; k++) {
            trained.put(trainedKeys[k], k);
        }
        int[] map = new int[here.length];
        List<String> unseen = new java.util.ArrayList<>();
        for (int k = 0; k < here.length; k++) {
            map[k] = trained.getOrDefault(here[k], -1);
            if (map[k] < 0) {
                unseen.add(column.categories().get(k));
            }
        }
        if (!unseen.isEmpty()) {
            LOG.warn("column '{}': {} of this data's {} categories were never seen in pretraining and are encoded as missing "
                    + "(all zeros): {}", column.name(), unseen.size(), here.length, unseen);
        }
        return map;
    }

    private static String names(TableSchema schema) {
        return String.join(", ", schema.columns().stream().map(ColumnSpec::name).toList());
    }

    /**
     * 48-bit name hashes, [n, 2]: a 64-bit FNV-1a hash cut into two 24-bit halves, each exact in
     * float32. Two of 10,000 names collide with a chance of about 2e-7.
     */
    static HostTensor.Floats hashes(List<String> names) {
        float[] out = new float[2 * names.size()];
        for (int k = 0; k < names.size(); k++) {
            long h = 0xcbf29ce484222325L;
            for (byte b : names.get(k).getBytes(StandardCharsets.UTF_8)) {
                h ^= b & 0xff;
                h *= 0x100000001b3L;
            }
            out[2 * k] = h & 0xffffff;
            out[2 * k + 1] = (h >>> 24) & 0xffffff;
        }
        return HostTensor.of(Shape.of(names.size(), 2), out);
    }

    /** The 24-bit FNV-1a hashes, [n], of encoders saved before {@link #hashes}. */
    static HostTensor.Floats legacyHashes(List<String> names) {
        float[] out = new float[names.size()];
        for (int k = 0; k < out.length; k++) {
            int h = 0x811c9dc5;
            for (byte b : names.get(k).getBytes(StandardCharsets.UTF_8)) {
                h ^= b & 0xff;
                h *= 0x01000193;
            }
            out[k] = h & 0xffffff;
        }
        return HostTensor.of(Shape.of(names.size()), out);
    }

    /** One key per name from either hash layout. */
    private static long[] keys(HostTensor.Floats hashes) {
        float[] v = hashes.data();
        if (hashes.shape().rank() == 1) {
            long[] out = new long[v.length];
            for (int k = 0; k < v.length; k++) {
                out[k] = (long) v[k];
            }
            return out;
        }
        long[] out = new long[v.length / 2];
        for (int k = 0; k < out.length; k++) {
            out[k] = (long) v[2 * k] | (long) v[2 * k + 1] << 24;
        }
        return out;
    }

    // ---- encoding -----------------------------------------------------------------------

    /** @return the number of raw feature columns */
    public int columns() {
        return schema.width();
    }

    /** @return the encoded width */
    public int width() {
        return width;
    }

    /** @return the schema the encoding is for */
    public TableSchema schema() {
        return schema;
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
        if (row.length != dataWidth) {
            throw new ShapeException("table-encoding", "row has " + row.length + " values, the table has " + dataWidth
                    + " feature columns");
        }
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
                java.util.Arrays.fill(out, o, o + k, 0f);
                if (!Float.isNaN(v)) {
                    int c = (int) v;
                    int[] map = categoryMap[j];
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

    /** @return the fitted statistics, named {@code tabular/...}, for the checkpoint */
    public ParameterSet state() {
        Map<String, HostTensor.Floats> out = new LinkedHashMap<>();
        int d = cardinality.length;
        float[] card = new float[d];
        for (int j = 0; j < d; j++) {
            card[j] = cardinality[j];
        }
        out.put(MEAN, HostTensor.of(Shape.of(d), mean.clone()));
        out.put(SCALE, HostTensor.of(Shape.of(d), scale.clone()));
        out.put(CARDINALITY, HostTensor.of(Shape.of(d), card));
        out.put(INDICATORS, HostTensor.of(Shape.of(1), new float[] {indicators ? 1f : 0f}));
        for (int j = 0; j < d; j++) {
            if (cardinality[j] > 0) {
                out.put(CATEGORIES + j, HostTensor.of(fittedCategories[j].shape(), fittedCategories[j].data().clone()));
            }
        }
        if (fittedColumns != null) {
            out.put(COLUMNS, HostTensor.of(fittedColumns.shape(), fittedColumns.data().clone()));
        }
        return new ParameterSet(out);
    }

    /**
     * @param column a numeric column
     * @return its training mean
     */
    public float mean(int column) {
        return mean[column];
    }

    /**
     * @param column a numeric column
     * @return 1 / its training standard deviation (1 for a constant column)
     */
    public float scale(int column) {
        return scale[column];
    }

    /**
     * Accumulates the training split's column statistics (Welford, in double precision):
     * population mean and standard deviation of the present values, as scikit-learn's
     * {@code StandardScaler} computes them.
     */
    public static final class Fitter {
        private final TableSchema schema;
        private final boolean indicators;
        private final long[] count;
        private final long[] missing;
        private final double[] mean;
        private final double[] m2;
        private long rows;

        private Fitter(TableSchema schema, boolean indicators) {
            this.schema = schema;
            this.indicators = indicators;
            int d = schema.width();
            count = new long[d];
            missing = new long[d];
            mean = new double[d];
            m2 = new double[d];
        }

        /**
         * @param row raw values of one training row
         */
        public void accept(float[] row) {
            if (row.length != count.length) {
                throw new ShapeException("table-encoding", "row has " + row.length + " values, the table has " + count.length
                        + " feature columns");
            }
            rows++;
            for (int j = 0; j < row.length; j++) {
                float v = row[j];
                if (Float.isNaN(v)) {
                    missing[j]++;
                    continue;
                }
                long n = ++count[j];
                double delta = v - mean[j];
                mean[j] += delta / n;
                m2[j] += delta * (v - mean[j]);
            }
        }

        /** @return the encoding with the statistics seen so far */
        public TableEncoding finish() {
            int d = count.length;
            float[] mu = new float[d];
            float[] scale = new float[d];
            for (int j = 0; j < d; j++) {
                ColumnSpec c = schema.columns().get(j);
                scale[j] = 1f;
                if (c.kind() != ColumnSpec.Kind.NUMERIC) {
                    continue;
                }
                if (count[j] > 0) {
                    mu[j] = (float) mean[j];
                    double std = Math.sqrt(m2[j] / count[j]);
                    // A constant column keeps scale 1 (as StandardScaler does) rather than dividing by zero.
                    scale[j] = std > 1e-12 ? (float) (1.0 / std) : 1f;
                }
                if (missing[j] > 0 && !indicators) {
                    LOG.info("column '{}': {} of {} training values missing, encoded as the mean; set {}=numeric to add an indicator",
                            c.name(), missing[j], rows, MISSING_INDICATORS);
                }
            }
            return new TableEncoding(schema, indicators, mu, scale);
        }
    }
}

package io.pretext.tabular.encoding;

import io.pretext.api.data.ColumnSpec;
import io.pretext.api.data.TableSchema;
import io.pretext.api.error.PretextException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the columns and categories an encoding was fitted on are in the data at hand: by name
 * (the data's columns may come in another order, or with more; its categories may be fewer,
 * others, or numbered otherwise), or by position for the oldest encoders, which saved no names.
 *
 * @param schema the fitted columns, as this data describes them, in the fitted order
 * @param columnOf for each fitted column, its index in this data's rows
 * @param categoryMap per fitted categorical column, this data's category index to the fitted one
 *     (-1: a category the encoding never saw); null where they agree, and for numeric columns
 * @param dataWidth how many values a row of this data has
 */
record SchemaMatch(TableSchema schema, int[] columnOf, int[][] categoryMap, int dataWidth) {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMatch.class);

    /**
     * @param schema the data an encoding is fitted on
     * @return the match of that data with itself
     */
    static SchemaMatch identity(TableSchema schema) {
        return new SchemaMatch(schema, IntStream.range(0, schema.width()).toArray(), new int[schema.width()][], schema.width());
    }

    /**
     * @param data the schema of the data at hand
     * @param saved the encoding's saved state
     * @return where the saved columns and categories are in {@code data}
     * @throws PretextException when a fitted column is missing or of another kind
     */
    static SchemaMatch of(TableSchema data, EncodingState saved) {
        int d = saved.width();
        int[] columnOf = lineUpColumns(data, saved.columns(), d);
        List<ColumnSpec> ordered = new ArrayList<>(d);
        int[][] categoryMap = new int[d][];
        for (int j = 0; j < d; j++) {
            ColumnSpec c = data.columns().get(columnOf[j]);
            ordered.add(c);
            Optional<SavedNames> categories = saved.categories().get(j);
            boolean categoricalNow = c.kind() == ColumnSpec.Kind.CATEGORICAL;
            if (categories.isPresent() != categoricalNow) {
                throw new PretextException("column " + (columnOf[j] + 1) + " '" + c.name() + "' is " + c.kind().name().toLowerCase()
                        + " in this data but was " + (categories.isEmpty() ? "numeric" : "categorical") + " when the checkpoint was "
                        + "trained; set the data source's categorical/numeric options as they were");
            }
            if (categories.isPresent()) {
                categoryMap[j] = mapCategories(c, categories.get());
            }
        }
        return new SchemaMatch(new TableSchema(ordered), columnOf, categoryMap, data.width());
    }

    /**
     * Finds each fitted column in this data: by name when the state has the columns' names, by
     * position (same count) for an older state. Columns of this data that pretraining did not
     * read are left out, with a warning.
     */
    private static int[] lineUpColumns(TableSchema schema, Optional<SavedNames> saved, int trained) {
        if (saved.isEmpty()) {
            if (schema.width() != trained) {
                throw new PretextException("the checkpoint was trained on a table of " + trained + " feature columns; this data has "
                        + schema.width() + " (" + names(schema) + "): give it the columns pretraining read, and the same label column");
            }
            return IntStream.range(0, trained).toArray();
        }
        int[] columnOf = saved.get().find(schema.columns().stream().map(ColumnSpec::name).toList());
        long found = IntStream.of(columnOf).filter(c -> c >= 0).count();
        if (found < trained) {
            throw new PretextException("the checkpoint was trained on " + trained + " feature columns; " + found + " of them are in this "
                    + "data by name (its columns: " + names(schema) + "): give it the columns pretraining read, and the same label "
                    + "column");
        }
        Set<Integer> used = new HashSet<>();
        IntStream.of(columnOf).forEach(used::add);
        List<String> extra = new ArrayList<>();
        for (int k = 0; k < schema.width(); k++) {
            if (!used.contains(k)) {
                extra.add(schema.columns().get(k).name());
            }
        }
        if (!extra.isEmpty()) {
            LOG.warn("columns {} were not in the pretraining table; they are left out", extra);
        }
        if (IntStream.range(0, trained).anyMatch(j -> columnOf[j] != j)) {
            LOG.info("this data's columns come in another order than in pretraining; they are lined up by name");
        }
        return columnOf;
    }

    /**
     * Lines a column's categories in this data up with the fitted ones: the one-hot position of a
     * category stays the one it was trained with; a category pretraining never saw is encoded as
     * missing (all zeros) and named in a warning.
     *
     * @return this data's category index to the fitted one, or null when both lists are the same
     */
    private static int[] mapCategories(ColumnSpec column, SavedNames fitted) {
        List<String> here = column.categories();
        int[] found = fitted.find(here);
        int[] map = new int[here.size()];
        java.util.Arrays.fill(map, -1);
        for (int t = 0; t < found.length; t++) {
            if (found[t] >= 0 && map[found[t]] < 0) {
                map[found[t]] = t;
            }
        }
        if (here.size() == found.length && IntStream.range(0, map.length).allMatch(k -> map[k] == k)) {
            return null;
        }
        List<String> unseen = IntStream.range(0, map.length).filter(k -> map[k] < 0).mapToObj(here::get).toList();
        if (!unseen.isEmpty()) {
            LOG.warn("column '{}': {} of this data's {} categories were never seen in pretraining and are encoded as missing "
                    + "(all zeros): {}", column.name(), unseen.size(), here.size(), unseen);
        }
        return map;
    }

    private static String names(TableSchema schema) {
        return String.join(", ", schema.columns().stream().map(ColumnSpec::name).toList());
    }
}

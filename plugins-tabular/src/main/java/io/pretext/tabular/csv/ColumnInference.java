package io.pretext.tabular.csv;

import io.pretext.api.data.ColumnSpec;
import io.pretext.api.error.DataFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The kind of one feature column, inferred while the scan reads it: numeric when every present
 * cell is a number, else categorical, unless the options force a kind. Keeps the distinct values a
 * categorical column needs, and at most {@link #NUMERIC_DISTINCT_CAP} of a numeric-looking one.
 */
final class ColumnInference {

    /** Distinct values a numeric-looking column keeps in case it turns out categorical. */
    static final int NUMERIC_DISTINCT_CAP = 1000;
    /** The most categories a categorical column may have (one-hot width). */
    static final int MAX_CATEGORIES = 10_000;

    private final Optional<ColumnSpec.Kind> forced;
    private boolean numeric = true;
    private boolean overflow;
    private Set<String> distinct = new HashSet<>();
    private long present;
    private long notNumbers;
    private String firstNotNumber;

    /** @param forced the kind the options force, or empty to infer it */
    ColumnInference(Optional<ColumnSpec.Kind> forced) {
        this.forced = forced;
        if (forced.equals(Optional.of(ColumnSpec.Kind.NUMERIC))) {
            distinct = null; // never needed
        }
    }

    /** @return whether the column is read as categorical, as far as the cells counted so far tell */
    boolean categorical() {
        return forced.map(k -> k == ColumnSpec.Kind.CATEGORICAL).orElse(!numeric);
    }

    /** @return the number of present (not missing) cells counted */
    long present() {
        return present;
    }

    /**
     * What is wrong with a present cell before anything of its row is counted, so that a skipped
     * row leaves no trace.
     *
     * @param cell the cell
     * @param number whether it is a number
     * @return the problem, or null when the cell is fine
     */
    String problem(String cell, boolean number) {
        if (number && !Float.isFinite((float) Numbers.parse(cell)) && !categorical()) {
            return "'" + cell + "' is out of the float32 range";
        }
        if (!number && forced.equals(Optional.of(ColumnSpec.Kind.NUMERIC))) {
            return "'" + cell + "' is not a number (the column is numeric by the option '"
                    + CsvDataSource.NUMERIC + "'); add it to the option '" + CsvDataSource.MISSING + "' if it means missing";
        }
        if (!number && forced.isEmpty() && numeric && overflow) {
            return "'" + cell + "' is not a number, but the column held more than "
                    + NUMERIC_DISTINCT_CAP + " distinct numbers before it, so it is read as numeric; add '" + cell
                    + "' to the option '" + CsvDataSource.MISSING + "' if it means missing, or drop the column";
        }
        return null;
    }

    /**
     * Counts a present cell that {@link #problem} accepted.
     *
     * @param cell the cell
     * @param number whether it is a number
     * @param file the CSV file, for errors
     * @param line the cell's line, for errors
     * @param columns the file's columns, for errors
     * @param field the cell's 0-based field
     * @throws DataFormatException when a categorical column gets more than {@link #MAX_CATEGORIES} categories
     */
    void count(String cell, boolean number, Path file, long line, ColumnNames columns, int field) {
        present++;
        if (!number && notNumbers++ == 0) {
            firstNotNumber = cell;
        }
        if (forced.isEmpty() && numeric && !number) {
            numeric = false; // the distinct set is complete: it never overflowed (checked by problem())
        }
        if (distinct == null || (overflow && !categorical())) {
            return;
        }
        if (distinct.add(cell)) {
            if (categorical() && distinct.size() > MAX_CATEGORIES) {
                throw new DataFormatException(file, line, columns.describe(field), "the column has more than " + MAX_CATEGORIES
                        + " distinct values, too many to one-hot encode; drop it (option '" + CsvDataSource.DROP
                        + "') or read it as numeric (option '" + CsvDataSource.NUMERIC + "')" + columns.singleColumnHint());
            }
            if (!categorical() && distinct.size() > NUMERIC_DISTINCT_CAP) {
                overflow = true;
                distinct = null;
            }
        }
    }

    /** @return the categories of a categorical column, in {@link #sortedValues} order */
    List<String> categories() {
        return sortedValues(distinct);
    }

    /**
     * A column read as categorical that looks like something else gets a warning: an identifier
     * (about one value per row) makes a one-hot block as wide as the table is long, and a column
     * of numbers with a few odd cells ("n/a") loses its order.
     *
     * @param file the CSV file
     * @param name the column's name
     * @param categories its number of categories
     */
    void warnIfNotReallyCategorical(Path file, String name, int categories) {
        if (forced.isPresent()) {
            return; // the user chose
        }
        if (categories > 50 && categories > present / 2) {
            CsvScanner.LOG.warn("{}: column '{}' has {} distinct values in {} rows, an identifier? It becomes {} one-hot inputs; drop it "
                    + "(data.drop) or read it as numbers (data.numeric)", file, name, categories, present, categories);
        } else if (notNumbers > 0 && notNumbers * 20 <= present) {
            CsvScanner.LOG.warn("{}: column '{}' holds numbers but for {} of {} cells (e.g. '{}'), so it is read as categorical with {} "
                    + "categories; if those cells mean missing, add the value to data.missing", file, name, notNumbers,
                    present, firstNotNumber, categories);
        }
    }

    /**
     * @param values distinct cell values
     * @return numbers in numeric order when every value is a number, otherwise in string order
     */
    static List<String> sortedValues(Set<String> values) {
        List<String> out = new ArrayList<>(values);
        if (out.stream().allMatch(Numbers::isNumber)) {
            out.sort(Comparator.comparingDouble(Numbers::parse).thenComparing(Comparator.naturalOrder()));
        } else {
            out.sort(Comparator.naturalOrder());
        }
        return List.copyOf(out);
    }
}

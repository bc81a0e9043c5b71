package io.pretext.tabular.csv;

import io.pretext.api.error.DataFormatException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The label column as the scan reads it: rows per class (what the stratified split needs) and the
 * rows without a label. Labels are class names, or indices into the class names of
 * scikit-learn's count line.
 */
final class LabelTally {

    /** The most classes a label column may have. */
    static final int MAX_CLASSES = 10_000;

    /**
     * The classes of a table.
     *
     * @param names the class names in index order; empty without a label
     * @param index class name to index, for labels that are names
     * @param strata rows per class in index order, then the rows without a label (all rows without a label column)
     */
    record Classes(List<String> names, Map<String, Integer> index, long[] strata) {
    }

    private final List<String> countLineClasses;
    private final boolean labelsAreIndices;
    private final Map<String, Long> labelCounts = new HashMap<>();
    private final long[] indexLabelCounts = new long[MAX_CLASSES];
    private long unlabeled;

    /**
     * @param countLineClasses the class names of the count line, empty without them
     * @param labelsAreIndices whether labels are indices into them
     */
    LabelTally(List<String> countLineClasses, boolean labelsAreIndices) {
        this.countLineClasses = countLineClasses;
        this.labelsAreIndices = labelsAreIndices;
    }

    /**
     * @param cell a present label cell, when labels are indices
     * @return the problem when it is not an index of the count line's classes, else null
     */
    String indexProblem(String cell) {
        if (!Numbers.isInteger(cell) || Long.parseLong(cell) < 0 || Long.parseLong(cell) >= countLineClasses.size()) {
            return "label '" + cell + "' is not a class index 0.." + (countLineClasses.size() - 1)
                    + " of the first line's class names " + countLineClasses;
        }
        return null;
    }

    /**
     * @param cell a present label cell, when labels are names
     * @param file the CSV file, for the error
     * @param line the cell's line
     * @param columns the file's columns, for the error
     * @param field the label's 0-based field
     * @throws DataFormatException when it would be a class beyond {@link #MAX_CLASSES}
     */
    void checkRoomFor(String cell, Path file, long line, ColumnNames columns, int field) {
        if (!labelCounts.containsKey(cell) && labelCounts.size() >= MAX_CLASSES) {
            throw new DataFormatException(file, line, columns.describe(field), "the label column has more than "
                    + MAX_CLASSES + " distinct values; is it the right column? (option '" + CsvDataSource.LABEL + "')");
        }
    }

    /**
     * Counts one row's label, once the whole row is accepted.
     *
     * @param classIndex the class index when labels are indices, -1 when the cell is missing
     * @param cell the label cell
     */
    void count(int classIndex, String cell) {
        if (classIndex == -1) {
            unlabeled++;
        } else if (labelsAreIndices) {
            indexLabelCounts[classIndex]++;
        } else {
            labelCounts.merge(cell, 1L, Long::sum);
        }
    }

    /** @return the rows whose label cell is missing */
    long unlabeled() {
        return unlabeled;
    }

    /**
     * @param rows the rows read
     * @return the classes of a table without a label column: none, and every row in one stratum
     */
    static Classes none(long rows) {
        return new Classes(List.of(), Map.of(), new long[] {rows});
    }

    /**
     * @param file the CSV file, for the warning about very many classes
     * @param labelName the label column's name
     * @param rows the rows read
     * @return the classes counted
     */
    Classes classes(Path file, String labelName, long rows) {
        Map<String, Integer> labelIndex = new HashMap<>();
        if (labelsAreIndices) {
            long[] strata = new long[countLineClasses.size() + 1];
            System.arraycopy(indexLabelCounts, 0, strata, 0, countLineClasses.size());
            strata[countLineClasses.size()] = unlabeled;
            return new Classes(countLineClasses, Map.copyOf(labelIndex), strata);
        }
        List<String> classNames = ColumnInference.sortedValues(labelCounts.keySet());
        if (classNames.size() > 100 || (classNames.size() > 20 && classNames.size() * 2 > rows)) {
            CsvScanner.LOG.warn("{}: the label column '{}' has {} classes in {} rows: a continuous or identifier column? Classification "
                    + "needs few classes; set data.label to another column, or none", file, labelName, classNames.size(), rows);
        }
        long[] strata = new long[classNames.size() + 1];
        for (int k = 0; k < classNames.size(); k++) {
            labelIndex.put(classNames.get(k), k);
            strata[k] = labelCounts.get(classNames.get(k));
        }
        strata[classNames.size()] = unlabeled;
        return new Classes(classNames, Map.copyOf(labelIndex), strata);
    }
}

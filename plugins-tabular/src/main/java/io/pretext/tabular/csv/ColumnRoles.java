package io.pretext.tabular.csv;

import io.pretext.api.data.ColumnSpec;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.Options;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What each column of a CSV file is for, from the options {@code label}, {@code drop},
 * {@code categorical} and {@code numeric}: the label, the features (with a kind the user forced)
 * and the columns left out.
 *
 * @param labelField the 0-based field of the label, -1 without one
 * @param labelsAreIndices whether the labels are indices into the count line's class names
 * @param featureFields the 0-based fields of the features, in order
 * @param forcedKinds per feature, the kind the options force, or empty to infer it
 */
record ColumnRoles(int labelField, boolean labelsAreIndices, int[] featureFields, List<Optional<ColumnSpec.Kind>> forcedKinds) {

    /** Names that make a header column the label when the label option is {@code auto}. */
    static final List<String> LABEL_NAMES = List.of("label", "class", "target");

    /**
     * @param settings the options
     * @param options the options the settings came from, to name their keys in messages
     * @param columns the file's columns
     * @param hasHeader whether the file has a header line
     * @param countLineClasses the class names of scikit-learn's count line, empty without them
     * @return the roles
     * @throws InvalidOptionException for options naming columns the file does not have, or leaving no feature
     */
    static ColumnRoles resolve(CsvSettings settings, Options options, ColumnNames columns, boolean hasHeader, List<String> countLineClasses) {
        int fieldCount = columns.fieldCount();
        int labelField = label(settings.label(), options, columns, hasHeader, countLineClasses);
        boolean labelsAreIndices = !countLineClasses.isEmpty() && labelField == fieldCount - 1;
        Set<Integer> dropped = new HashSet<>();
        for (String ref : settings.drop()) {
            int f = columns.resolve(ref, CsvDataSource.DROP, options);
            if (f == labelField) {
                throw new InvalidOptionException(options.key(CsvDataSource.DROP), "column " + columns.describe(f)
                        + " is the label; set '" + CsvDataSource.LABEL + ": none' to read the file without a label");
            }
            dropped.add(f);
        }
        Map<Integer, ColumnSpec.Kind> forced = new HashMap<>();
        for (String ref : settings.categorical()) {
            forced.put(columns.resolve(ref, CsvDataSource.CATEGORICAL, options), ColumnSpec.Kind.CATEGORICAL);
        }
        for (String ref : settings.numeric()) {
            int f = columns.resolve(ref, CsvDataSource.NUMERIC, options);
            if (forced.containsKey(f)) {
                throw new InvalidOptionException(options.key(CsvDataSource.NUMERIC), "column " + columns.describe(f)
                        + " is also listed as categorical");
            }
            forced.put(f, ColumnSpec.Kind.NUMERIC);
        }
        List<Integer> features = new ArrayList<>();
        for (int f = 0; f < fieldCount; f++) {
            if (f != labelField && !dropped.contains(f)) {
                features.add(f);
            }
        }
        if (features.isEmpty()) {
            if (fieldCount <= 1) {
                // One field per line is almost always the wrong separator, not a table with no features.
                char separator = columns.separator();
                throw new InvalidOptionException(options.key(CsvDataSource.SEPARATOR), "every line reads as a single field "
                        + "with separator '" + (separator == '\t' ? "tab" : String.valueOf(separator)) + "' (first field: '"
                        + (columns.names().isEmpty() ? "" : columns.names().get(0)) + "'); set the separator the file uses (, ; tab |)");
            }
            throw new InvalidOptionException(options.key(CsvDataSource.DROP), "no feature column is left (columns: "
                    + String.join(", ", columns.names()) + ")");
        }
        return new ColumnRoles(labelField, labelsAreIndices, features.stream().mapToInt(Integer::intValue).toArray(),
                features.stream().map(f -> Optional.ofNullable(forced.get(f))).toList());
    }

    private static int label(String label, Options options, ColumnNames columns, boolean hasHeader, List<String> countLineClasses) {
        switch (label.toLowerCase(Locale.ROOT)) {
            case "none":
                return -1;
            case "first":
                return 0;
            case "last":
                return columns.fieldCount() - 1;
            case "auto":
                if (!countLineClasses.isEmpty()) {
                    return columns.fieldCount() - 1;
                }
                if (hasHeader) {
                    for (int f = 0; f < columns.names().size(); f++) {
                        if (LABEL_NAMES.contains(columns.names().get(f).toLowerCase(Locale.ROOT))) {
                            return f;
                        }
                    }
                }
                return -1;
            default:
                return columns.resolve(label, CsvDataSource.LABEL, options);
        }
    }
}

package io.pretext.tabular.csv;

import io.pretext.api.error.DataFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the first records of a CSV file say about its layout: scikit-learn's count line, the
 * header, the number of fields and the columns' names.
 */
final class HeadDetection {

    private HeadDetection() {
    }

    /**
     * scikit-learn's bundled CSVs start with {@code n_rows,n_features[,class names...]}: two
     * whole numbers, then only names, and the data lines hold n_features (+1 with a label) fields.
     *
     * @param records the first records of the file
     * @return whether the first of them is such a count line
     */
    static boolean isCountLine(List<HeadRecord> records) {
        if (records.size() < 2 || records.get(0).fields() == null) {
            return false;
        }
        List<String> first = records.get(0).fields();
        if (first.size() < 2 || !Numbers.isInteger(first.get(0)) || !Numbers.isInteger(first.get(1))) {
            return false;
        }
        for (String name : first.subList(2, first.size())) {
            if (name.isEmpty() || Numbers.isNumber(name)) {
                return false;
            }
        }
        long features = Long.parseLong(first.get(1));
        int modal = modalFieldCount(records.subList(1, records.size()));
        return features + (first.size() > 2 ? 1 : 0) == modal;
    }

    /**
     * A header when some column holds a word on the first line and numbers below it, or, in a
     * table of words only, when no first-line word occurs again in its column.
     *
     * @param records the first records after any count line
     * @param missingTokens cell values that mean missing
     * @return whether the first of them names the columns
     */
    static boolean looksLikeHeader(List<HeadRecord> records, Set<String> missingTokens) {
        if (records.size() < 2 || records.get(0).fields() == null) {
            return false;
        }
        List<String> first = records.get(0).fields();
        boolean anyNumericColumn = false;
        boolean anyRepeat = false;
        for (int c = 0; c < first.size(); c++) {
            int numbers = 0;
            int present = 0;
            boolean repeats = false;
            for (HeadRecord r : records.subList(1, records.size())) {
                if (r.fields() == null || r.fields().size() <= c) {
                    continue;
                }
                String cell = r.fields().get(c);
                if (cell.isEmpty() || missingTokens.contains(cell)) {
                    continue;
                }
                present++;
                if (Numbers.isNumber(cell)) {
                    numbers++;
                }
                repeats |= cell.equals(first.get(c));
            }
            boolean numericColumn = present > 0 && numbers == present;
            String top = first.get(c);
            if (numericColumn && !top.isEmpty() && !Numbers.isNumber(top) && !missingTokens.contains(top)) {
                return true;
            }
            anyNumericColumn |= numericColumn;
            anyRepeat |= repeats;
        }
        return !anyNumericColumn && !anyRepeat && new HashSet<>(first).size() == first.size();
    }

    /**
     * @param records records of the file
     * @return the most common number of fields among those that could be read (the larger on a tie), 0 when none could
     */
    static int modalFieldCount(List<HeadRecord> records) {
        Map<Integer, Integer> byCount = new HashMap<>();
        for (HeadRecord r : records) {
            if (r.fields() != null) {
                byCount.merge(r.fields().size(), 1, Integer::sum);
            }
        }
        return byCount.entrySet().stream().max(Map.Entry.<Integer, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).orElse(0);
    }

    /**
     * @param file the CSV file, for messages
     * @param header the header's fields, or null without one
     * @param headerLine the line of the header
     * @param data the first data records
     * @param separator the separator, for messages
     * @return the number of fields every row must have: the header's, else the data's most common
     * @throws DataFormatException when there are no data rows, or the header and the data disagree
     */
    static int fieldCount(Path file, List<String> header, long headerLine, List<HeadRecord> data, char separator) {
        int modal = modalFieldCount(data);
        if (header == null) {
            if (modal == 0) {
                throw new DataFormatException(file, 0, null, "has no data rows");
            }
            return modal;
        }
        if (modal != 0 && modal != header.size()) {
            throw new DataFormatException(file, headerLine, null, "the header names " + header.size()
                    + " columns but most data lines have " + modal + " fields (separator '" + ColumnNames.printable(separator)
                    + "'; set the options '" + CsvDataSource.SEPARATOR + "' or '" + CsvDataSource.HEADER + "' if this is wrong)");
        }
        return header.size();
    }

    /**
     * @param file the CSV file, for the warning about a repeated name
     * @param header the header's fields, or null without one
     * @param fieldCount the number of fields
     * @return one unique name per field: the header's ({@code name_2} for a repeat), {@code c1, c2, ...} without one
     */
    static List<String> columnNames(Path file, List<String> header, int fieldCount) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < fieldCount; i++) {
            String name = header == null || header.get(i).isEmpty() ? "c" + (i + 1) : header.get(i);
            String unique = name;
            for (int k = 2; !seen.add(unique); k++) {
                unique = name + "_" + k;
            }
            if (!unique.equals(name)) {
                CsvScanner.LOG.warn("{}: column {} repeats the name '{}'; it is called '{}' (for the label, drop, categorical and numeric options)",
                        file, i + 1, name, unique);
            }
            out.add(unique);
        }
        return List.copyOf(out);
    }
}

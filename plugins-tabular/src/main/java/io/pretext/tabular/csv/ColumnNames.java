package io.pretext.tabular.csv;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.UnknownComponentException;
import io.pretext.api.option.Options;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns of a CSV file as options and messages name them.
 *
 * @param names one unique name per field
 * @param fieldCount the number of fields of every row
 * @param separator the field separator, for hints
 */
record ColumnNames(List<String> names, int fieldCount, char separator) {

    /**
     * A column reference: a name (exact, else the one case-insensitive match) or a 1-based position.
     *
     * @param ref what the option says
     * @param option the option's name, for errors
     * @param options the options it came from, to name its full key
     * @return the 0-based field
     * @throws InvalidOptionException naming the columns when no column matches
     */
    int resolve(String ref, String option, Options options) {
        int exact = names.indexOf(ref);
        if (exact >= 0) {
            return exact;
        }
        List<Integer> loose = new ArrayList<>();
        for (int f = 0; f < names.size(); f++) {
            if (names.get(f).equalsIgnoreCase(ref)) {
                loose.add(f);
            }
        }
        if (loose.size() == 1) {
            return loose.get(0);
        }
        if (Numbers.isInteger(ref)) {
            long position = Long.parseLong(ref);
            if (position >= 1 && position <= fieldCount) {
                return (int) position - 1;
            }
            throw new InvalidOptionException(options.key(option), "column position " + ref + " is out of range; the file has "
                    + fieldCount + " columns (1.." + fieldCount + ")");
        }
        String hint = UnknownComponentException.Suggestions.closest(ref, names).map(s -> "; did you mean '" + s + "'?").orElse("");
        throw new InvalidOptionException(options.key(option), "no column '" + ref + "'; columns: " + String.join(", ", names)
                + " (or a 1-based position" + (option.equals(CsvDataSource.LABEL) ? ", first, last, none, auto" : "") + ")" + hint
                + singleColumnHint());
    }

    /**
     * @param field a 0-based field
     * @return its 1-based position and name, e.g. {@code 5 (education-num)}
     */
    String describe(int field) {
        return field < names.size() ? (field + 1) + " (" + names.get(field) + ")" : String.valueOf(field + 1);
    }

    /** @return a file read as one column usually means the wrong separator: the hint to add where that surfaces, else empty */
    String singleColumnHint() {
        return fieldCount == 1 ? "; the file reads as a single column with separator '" + printable(separator)
                + "': is that the right separator? (option '" + CsvDataSource.SEPARATOR + "')" : "";
    }

    /**
     * @param c a separator
     * @return how messages show it
     */
    static String printable(char c) {
        return c == '\t' ? "\\t" : String.valueOf(c);
    }
}

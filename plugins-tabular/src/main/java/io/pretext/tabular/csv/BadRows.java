package io.pretext.tabular.csv;

import io.pretext.api.error.DataFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Malformed rows as the option {@code on-bad-row} wants them: fail on the first, or skip and count them. */
final class BadRows {

    private final Path file;
    private final boolean skip;
    private final List<String> firstProblems = new ArrayList<>();
    private long skipped;

    /**
     * @param file the CSV file
     * @param skip true to skip malformed rows, false to fail on the first
     */
    BadRows(Path file, boolean skip) {
        this.file = file;
        this.skip = skip;
    }

    /**
     * @param line the row's line
     * @param column the column at fault as messages name it
     * @param problem what is wrong
     * @throws DataFormatException naming file, line and column, unless skipping
     */
    void report(long line, String column, String problem) {
        if (!skip) {
            throw new DataFormatException(file, line, column, problem + " (set '" + CsvDataSource.ON_BAD_ROW
                    + ": skip' to skip such rows)");
        }
        skipped++;
        if (firstProblems.size() < 3) {
            firstProblems.add("line " + line + ", column " + column + ": " + problem);
        }
    }

    /** @return the rows skipped */
    long skipped() {
        return skipped;
    }

    /** @return the first problems (up to three), as the warning lists them */
    List<String> firstProblems() {
        return List.copyOf(firstProblems);
    }
}

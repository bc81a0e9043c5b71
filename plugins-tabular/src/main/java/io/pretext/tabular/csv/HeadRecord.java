package io.pretext.tabular.csv;

import java.util.List;

/**
 * A record read by the scan, or the syntax error it raised.
 *
 * @param line the 1-based line the record starts on
 * @param fields its fields, or null when it could not be read
 * @param error the syntax error, when {@code fields} is null
 */
record HeadRecord(long line, List<String> fields, CsvRecordReader.SyntaxException error) {
}

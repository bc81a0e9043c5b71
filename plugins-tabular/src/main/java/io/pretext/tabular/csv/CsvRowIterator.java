package io.pretext.tabular.csv;

import io.pretext.api.data.Example;
import io.pretext.api.error.DataFormatException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * One streaming pass over a scanned CSV file: parses each data row into a
 * {@link Example.TableRow} following the {@link CsvLayout}, skips the rows the scan skipped, and
 * keeps only the rows of the requested split. Holds one record at a time; closes the file at the
 * end of the pass (or when {@link #close()} is called earlier).
 */
final class CsvRowIterator implements Iterator<Example>, AutoCloseable {

    /** Which rows a pass yields. */
    enum Split {
        /** Every row. */
        ALL,
        /** The rows not held out. */
        TRAIN,
        /** The held-out rows. */
        TEST
    }

    private final CsvLayout layout;
    private final Split split;
    private final TestSelection selection;
    private final boolean stratified;
    private final CsvRecordReader reader;
    private final long[] ordinals;
    private Example next;
    private boolean done;

    /**
     * @param layout the scanned layout
     * @param split which rows to yield
     * @param selection the held-out rows (ignored for {@link Split#ALL})
     * @param stratified true when the selection's strata are classes, false when it has a single stratum
     */
    CsvRowIterator(CsvLayout layout, Split split, TestSelection selection, boolean stratified) {
        this.layout = layout;
        this.split = split;
        this.selection = selection;
        this.stratified = stratified;
        this.ordinals = new long[layout.strata().length];
        checkUnchanged();
        try {
            this.reader = new CsvRecordReader(new InputStreamReader(Files.newInputStream(layout.file()), layout.charset().newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), layout.separator());
            for (int i = 0; i < layout.prefixRecords(); i++) {
                reader.next();
            }
        } catch (IOException | CsvRecordReader.SyntaxException e) {
            throw new DataFormatException(layout.file(), "cannot read: " + e.getMessage(), e);
        }
    }

    private void checkUnchanged() {
        try {
            BasicFileAttributes now = Files.readAttributes(layout.file(), BasicFileAttributes.class);
            if (now.size() != layout.fileSize() || !now.lastModifiedTime().equals(layout.lastModified())) {
                throw new DataFormatException(layout.file(), 0, null, "changed since it was opened (size or modification time "
                        + "differ); open the data set again");
            }
        } catch (IOException e) {
            throw new DataFormatException(layout.file(), "cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = advance();
            if (next == null) {
                done = true;
                close();
            }
        }
        return next != null;
    }

    @Override
    public Example next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Example e = next;
        next = null;
        return e;
    }

    private Example advance() {
        try {
            while (true) {
                List<String> fields;
                try {
                    fields = reader.next();
                } catch (CsvRecordReader.SyntaxException e) {
                    bad(e.line(), layout.describeField(e.field() - 1), e.getMessage());
                    continue;
                }
                if (fields == null) {
                    return null;
                }
                Example.TableRow row = parse(fields, reader.recordLine());
                if (row == null) {
                    continue;
                }
                if (split == Split.ALL) {
                    return row;
                }
                int stratum = stratified ? layout.stratumOf(row.label()) : 0;
                boolean test = selection.isTest(stratum, ordinals[stratum]++);
                if (test == (split == Split.TEST)) {
                    return row;
                }
            }
        } catch (CharacterCodingException e) {
            close();
            throw new DataFormatException(layout.file(), "is not valid " + layout.charset().name() + " text", e);
        } catch (IOException e) {
            close();
            throw new DataFormatException(layout.file(), "cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses one record, or returns null for a malformed row when skipping (the scan skipped it too). */
    private Example.TableRow parse(List<String> fields, long line) {
        if (fields.size() != layout.fieldCount()) {
            int at = Math.min(fields.size(), layout.fieldCount());
            return bad(line, layout.describeField(at), "expected " + layout.fieldCount() + " fields, found " + fields.size());
        }
        int[] features = layout.featureFields();
        float[] values = new float[features.length];
        for (int j = 0; j < features.length; j++) {
            String cell = fields.get(features[j]);
            if (layout.isMissing(cell)) {
                values[j] = Float.NaN;
            } else if (layout.numeric()[j]) {
                if (!Numbers.isNumber(cell)) {
                    return bad(line, layout.describeField(features[j]), "'" + cell + "' is not a number (the column is numeric); add it to "
                            + "the option '" + CsvDataSource.MISSING + "' if it means missing");
                }
                float v = (float) Numbers.parse(cell);
                if (!Float.isFinite(v)) {
                    return bad(line, layout.describeField(features[j]), "'" + cell + "' is out of the float32 range");
                }
                values[j] = v;
            } else {
                Integer k = layout.categoryIndex().get(j).get(cell);
                if (k == null) {
                    // Only possible when the file changed between passes in a way size and time did not show.
                    return bad(line, layout.describeField(features[j]), "'" + cell + "' is not one of the column's categories");
                }
                values[j] = k;
            }
        }
        int label = Example.NO_LABEL;
        if (layout.labeled()) {
            String cell = fields.get(layout.labelField());
            if (!layout.isMissing(cell)) {
                if (layout.labelsAreIndices()) {
                    if (!Numbers.isInteger(cell) || Long.parseLong(cell) < 0 || Long.parseLong(cell) >= layout.classNames().size()) {
                        return bad(line, layout.describeField(layout.labelField()), "label '" + cell + "' is not a class index 0.."
                                + (layout.classNames().size() - 1));
                    }
                    label = Integer.parseInt(cell);
                } else {
                    Map<String, Integer> index = layout.labelIndex();
                    Integer k = index.get(cell);
                    if (k == null) {
                        return bad(line, layout.describeField(layout.labelField()), "label '" + cell + "' is not a known class");
                    }
                    label = k;
                }
            }
        }
        return new Example.TableRow(values, label);
    }

    private Example.TableRow bad(long line, String column, String problem) {
        if (!layout.skipBadRows()) {
            close();
            throw new DataFormatException(layout.file(), line, column, problem);
        }
        return null;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.pretext.tabular.csv;

import io.pretext.api.data.Example;
import io.pretext.api.data.TableSchema;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the scan of a CSV file found out, which every later pass over the file reads
 * exactly the same way. Immutable (the arrays are never written after the scan), so passes may
 * run on several threads at once.
 *
 * @param file the file
 * @param charset its character encoding
 * @param separator the field separator
 * @param prefixRecords records before the first data row: scikit-learn's count line and/or the header
 * @param fieldCount the number of fields of every data line
 * @param columnNames names of all fields, label included, in file order
 * @param featureFields 0-based file positions of the feature columns (every field but the label and the dropped ones)
 * @param numeric per feature column, whether it is numeric (else categorical)
 * @param schema the feature columns' kinds and categories
 * @param categoryIndex per feature column, category name to index (empty for numeric columns)
 * @param labelField 0-based file position of the label, or -1 without one
 * @param labelsAreIndices true when label cells are class indices into the names of scikit-learn's count line
 * @param labelIndex label value to class index (when labels are not indices)
 * @param classNames class names in index order
 * @param missingTokens cell values meaning "missing"
 * @param skipBadRows true when malformed rows are skipped rather than fatal
 * @param rows the number of good data rows
 * @param skippedRows the number of malformed rows skipped
 * @param strata rows per class index, plus a last entry for rows without a label
 * @param fingerprint {@code sha256:} and the hex digest of the file's bytes
 * @param fileSize the file's size when scanned
 * @param lastModified the file's modification time when scanned
 */
record CsvLayout(Path file, Charset charset, char separator, int prefixRecords, int fieldCount, List<String> columnNames,
                 int[] featureFields, boolean[] numeric, TableSchema schema, List<Map<String, Integer>> categoryIndex,
                 int labelField, boolean labelsAreIndices, Map<String, Integer> labelIndex, List<String> classNames,
                 Set<String> missingTokens, boolean skipBadRows, long rows, long skippedRows, long[] strata,
                 String fingerprint, long fileSize, FileTime lastModified) {

    /**
     * @param field 0-based file position
     * @return a column reference for messages: 1-based file position and name
     */
    String describeField(int field) {
        return field < columnNames.size() ? (field + 1) + " (" + columnNames.get(field) + ")" : String.valueOf(field + 1);
    }

    /**
     * @param cell a trimmed cell
     * @return true when the cell means "missing"
     */
    boolean isMissing(String cell) {
        return cell.isEmpty() || missingTokens.contains(cell);
    }

    /** @return true when the file has a label column */
    boolean labeled() {
        return labelField >= 0;
    }

    /**
     * @param classIndex a class index or {@link Example#NO_LABEL}
     * @return the stratum of that class: its index, or the last stratum for unlabeled rows
     */
    int stratumOf(int classIndex) {
        return classIndex == Example.NO_LABEL ? strata.length - 1 : classIndex;
    }
}

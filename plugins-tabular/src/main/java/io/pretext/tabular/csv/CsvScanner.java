package io.pretext.tabular.csv;

import io.pretext.api.data.ColumnSpec;
import io.pretext.api.data.TableSchema;
import io.pretext.api.error.DataFormatException;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.UnknownComponentException;
import io.pretext.api.option.Options;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first pass over a CSV file: detects the separator, scikit-learn's count line and the
 * header, infers each column's kind (numeric when every present cell is a number), collects the
 * categories and classes, counts rows per class for the split, finds malformed rows and hashes the
 * file's bytes. Memory stays bounded by the number of distinct categories, not by the file.
 */
final class CsvScanner {
    private static final Logger LOG = LoggerFactory.getLogger(CsvScanner.class);

    /** Records looked at to decide the count line, the header and the field count. */
    static final int HEAD_RECORDS = 1000;
    /** Lines looked at to detect the separator. */
    static final int SAMPLE_LINES = 200;
    /** Distinct values a numeric-looking column keeps in case it turns out categorical. */
    static final int NUMERIC_DISTINCT_CAP = 1000;
    /** The most categories a categorical column may have (one-hot width). */
    static final int MAX_CATEGORIES = 10_000;
    /** The most classes a label column may have. */
    static final int MAX_CLASSES = 10_000;
    /** Names that make a header column the label when the label option is {@code auto}. */
    static final List<String> LABEL_NAMES = List.of("label", "class", "target");

    private final Path file;
    private final CsvSettings settings;
    /** The options the settings came from, to name their keys in messages. */
    private final Options options;

    private CsvScanner(Path file, CsvSettings settings, Options options) {
        this.file = file;
        this.settings = settings;
        this.options = options;
    }

    /**
     * @param file the CSV file
     * @param settings how to read it
     * @param options the options the settings came from, to name their keys in messages
     * @return the layout every later pass follows
     * @throws DataFormatException for unreadable files and, unless skipping, malformed rows
     * @throws InvalidOptionException for options naming columns the file does not have
     */
    static CsvLayout scan(Path file, CsvSettings settings, Options options) {
        return new CsvScanner(file, settings, options).run();
    }

    /** A record read in the head of the file, or the syntax error it raised. */
    private record HeadRecord(long line, List<String> fields, CsvRecordReader.SyntaxException error) {
    }

    private CsvLayout run() {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new DataFormatException(file, 0, null, "no such file");
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        if (attributes.isDirectory()) {
            throw new DataFormatException(file, 0, null, "is a directory, not a CSV file");
        }
        char separator = settings.separator().orElseGet(this::detectSeparator);
        MessageDigest sha = sha256();
        try (InputStream bytes = new DigestInputStream(Files.newInputStream(file), sha);
             CsvRecordReader reader = new CsvRecordReader(decoder(bytes), separator)) {
            Pass pass = new Pass(reader, separator);
            pass.readHead();
            pass.readRest();
            // Drain whatever the reader left (nothing, unless the file ends in blank lines) so the digest covers every byte.
            while (bytes.read() >= 0) {
                // the digest stream hashes as it reads
            }
            String fingerprint = "sha256:" + HexFormat.of().formatHex(sha.digest());
            return pass.finish(fingerprint, attributes);
        } catch (CharacterCodingException e) {
            throw new DataFormatException(file, "is not valid " + settings.charset().name()
                    + " text; set the option '" + CsvDataSource.ENCODING + "' (" + encodingGuess() + ")", e);
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private Reader decoder(InputStream in) {
        return new InputStreamReader(in, settings.charset().newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    // ---- separator ----------------------------------------------------------------------

    /**
     * Picks the candidate that splits the most sample lines into the same number of fields (more
     * than one), preferring the earlier candidate on a tie. Counts only separators outside quotes.
     */
    private char detectSeparator() {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(decoder(Files.newInputStream(file)))) {
            String line;
            while (lines.size() < SAMPLE_LINES && (line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        } catch (CharacterCodingException e) {
            throw new DataFormatException(file, "is not valid " + settings.charset().name()
                    + " text; set the option '" + CsvDataSource.ENCODING + "' (" + encodingGuess() + ")", e);
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        char best = ',';
        double bestScore = 0;
        for (char candidate : CsvSettings.CANDIDATE_SEPARATORS) {
            Map<Integer, Integer> byCount = new HashMap<>();
            for (String line : lines) {
                byCount.merge(countOutsideQuotes(line, candidate), 1, Integer::sum);
            }
            int modalCount = 0;
            int modalLines = 0;
            for (Map.Entry<Integer, Integer> e : byCount.entrySet()) {
                if (e.getValue() > modalLines || (e.getValue() == modalLines && e.getKey() > modalCount)) {
                    modalCount = e.getKey();
                    modalLines = e.getValue();
                }
            }
            double score = modalCount == 0 ? 0 : modalLines / (double) lines.size();
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        LOG.debug("{}: separator '{}' detected", file, best == '\t' ? "\\t" : String.valueOf(best));
        return best;
    }

    private static int countOutsideQuotes(String line, char separator) {
        int count = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                count++;
            }
        }
        return count;
    }

    /** UTF-16 files (a byte-order mark, or NUL bytes between letters) need UTF-16, not a one-byte charset. */
    private String encodingGuess() {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(512);
            boolean bom = head.length >= 2
                    && ((head[0] == (byte) 0xFE && head[1] == (byte) 0xFF) || (head[0] == (byte) 0xFF && head[1] == (byte) 0xFE));
            int zeros = 0;
            for (byte b : head) {
                zeros += b == 0 ? 1 : 0;
            }
            if (bom || zeros > head.length / 4) {
                return "it looks like UTF-16: e.g. UTF-16";
            }
        } catch (IOException e) {
            // the guess is only a hint
        }
        return "e.g. ISO-8859-1 or windows-1252";
    }

    // ---- the pass -----------------------------------------------------------------------

    /** State of one column while scanning. */
    private static final class ColumnState {
        final Optional<ColumnSpec.Kind> forced;
        boolean numeric = true;
        boolean overflow;
        Set<String> distinct = new HashSet<>();
        long present;
        long notNumbers;
        String firstNotNumber;

        ColumnState(Optional<ColumnSpec.Kind> forced) {
            this.forced = forced;
            if (forced.equals(Optional.of(ColumnSpec.Kind.NUMERIC))) {
                distinct = null; // never needed
            }
        }

        boolean categorical() {
            return forced.map(k -> k == ColumnSpec.Kind.CATEGORICAL).orElse(!numeric);
        }
    }

    private final class Pass {
        private final CsvRecordReader reader;
        private final char separator;
        private final List<HeadRecord> head = new ArrayList<>();
        private List<String> countLine;
        private List<String> header;
        private int prefixRecords;
        private int fieldCount;
        private List<String> names;
        private int labelField = -1;
        private boolean labelsAreIndices;
        private List<String> countLineClasses = List.of();
        private int[] featureFields;
        private ColumnState[] columns;
        /** Whether each feature cell of the current row is a number, reused across rows. */
        private boolean[] cellIsNumber;
        private final Map<String, Long> labelCounts = new HashMap<>();
        private final long[] indexLabelCounts = new long[MAX_CLASSES];
        private long unlabeled;
        private long rows;
        private long skipped;
        private final List<String> firstProblems = new ArrayList<>();

        Pass(CsvRecordReader reader, char separator) {
            this.reader = reader;
            this.separator = separator;
        }

        void readHead() throws IOException {
            while (head.size() < HEAD_RECORDS) {
                try {
                    List<String> fields = reader.next();
                    if (fields == null) {
                        break;
                    }
                    head.add(new HeadRecord(reader.recordLine(), fields, null));
                } catch (CsvRecordReader.SyntaxException e) {
                    head.add(new HeadRecord(e.line(), null, e));
                }
            }
            if (head.isEmpty()) {
                throw new DataFormatException(file, 0, null, "is empty: no records");
            }
            int next = 0;
            if (isCountLine(head)) {
                countLine = head.get(0).fields();
                countLineClasses = List.copyOf(countLine.subList(2, countLine.size()));
                next = 1;
            }
            boolean hasHeader = settings.header().orElseGet(() -> looksLikeHeader(head.subList(prefixStart(), head.size())));
            if (hasHeader) {
                HeadRecord h = next < head.size() ? head.get(next) : null;
                if (h == null || h.fields() == null) {
                    throw new DataFormatException(file, h == null ? 0 : h.line(), null, "the header line cannot be read"
                            + (h == null ? "" : ": " + h.error().getMessage()));
                }
                header = h.fields();
                next++;
            }
            prefixRecords = next;
            fieldCount = decideFieldCount(head.subList(next, head.size()));
            names = columnNames();
            resolveColumns();
            for (HeadRecord r : head.subList(next, head.size())) {
                accept(r);
            }
        }

        private int prefixStart() {
            return countLine == null ? 0 : 1;
        }

        void readRest() throws IOException {
            while (true) {
                try {
                    List<String> fields = reader.next();
                    if (fields == null) {
                        return;
                    }
                    accept(new HeadRecord(reader.recordLine(), fields, null));
                } catch (CsvRecordReader.SyntaxException e) {
                    accept(new HeadRecord(e.line(), null, e));
                }
            }
        }

        /**
         * scikit-learn's bundled CSVs start with {@code n_rows,n_features[,class names...]}: two
         * whole numbers, then only names, and the data lines hold n_features (+1 with a label) fields.
         */
        private boolean isCountLine(List<HeadRecord> records) {
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
         */
        private boolean looksLikeHeader(List<HeadRecord> records) {
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
                    if (cell.isEmpty() || settings.missingTokens().contains(cell)) {
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
                if (numericColumn && !top.isEmpty() && !Numbers.isNumber(top) && !settings.missingTokens().contains(top)) {
                    return true;
                }
                anyNumericColumn |= numericColumn;
                anyRepeat |= repeats;
            }
            return !anyNumericColumn && !anyRepeat && new HashSet<>(first).size() == first.size();
        }

        private int modalFieldCount(List<HeadRecord> records) {
            Map<Integer, Integer> byCount = new HashMap<>();
            for (HeadRecord r : records) {
                if (r.fields() != null) {
                    byCount.merge(r.fields().size(), 1, Integer::sum);
                }
            }
            return byCount.entrySet().stream().max(Map.Entry.<Integer, Integer>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).orElse(0);
        }

        private int decideFieldCount(List<HeadRecord> data) {
            int modal = modalFieldCount(data);
            if (header == null) {
                if (modal == 0) {
                    throw new DataFormatException(file, 0, null, "has no data rows");
                }
                return modal;
            }
            if (modal != 0 && modal != header.size()) {
                throw new DataFormatException(file, head.get(prefixRecords - 1).line(), null, "the header names " + header.size()
                        + " columns but most data lines have " + modal + " fields (separator '" + printable(separator)
                        + "'; set the options '" + CsvDataSource.SEPARATOR + "' or '" + CsvDataSource.HEADER + "' if this is wrong)");
            }
            return header.size();
        }

        private List<String> columnNames() {
            List<String> out = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < fieldCount; i++) {
                String name = header == null || header.get(i).isEmpty() ? "c" + (i + 1) : header.get(i);
                String unique = name;
                for (int k = 2; !seen.add(unique); k++) {
                    unique = name + "_" + k;
                }
                if (!unique.equals(name)) {
                    LOG.warn("{}: column {} repeats the name '{}'; it is called '{}' (for the label, drop, categorical and numeric options)",
                            file, i + 1, name, unique);
                }
                out.add(unique);
            }
            return List.copyOf(out);
        }

        private void resolveColumns() {
            labelField = resolveLabel();
            labelsAreIndices = countLine != null && countLineClasses.size() > 0 && labelField == fieldCount - 1;
            Set<Integer> dropped = new HashSet<>();
            for (String ref : settings.drop()) {
                int f = resolve(ref, CsvDataSource.DROP);
                if (f == labelField) {
                    throw new InvalidOptionException(options.key(CsvDataSource.DROP), "column " + describe(f) + " is the label; set '"
                            + CsvDataSource.LABEL + ": none' to read the file without a label");
                }
                dropped.add(f);
            }
            Map<Integer, ColumnSpec.Kind> forced = new HashMap<>();
            for (String ref : settings.categorical()) {
                forced.put(resolve(ref, CsvDataSource.CATEGORICAL), ColumnSpec.Kind.CATEGORICAL);
            }
            for (String ref : settings.numeric()) {
                int f = resolve(ref, CsvDataSource.NUMERIC);
                if (forced.containsKey(f)) {
                    throw new InvalidOptionException(options.key(CsvDataSource.NUMERIC), "column " + describe(f)
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
                    throw new InvalidOptionException(options.key(CsvDataSource.SEPARATOR), "every line reads as a single field "
                            + "with separator '" + (separator == '\t' ? "tab" : String.valueOf(separator)) + "' (first field: '"
                            + (names.isEmpty() ? "" : names.get(0)) + "'); set the separator the file uses (, ; tab |)");
                }
                throw new InvalidOptionException(options.key(CsvDataSource.DROP), "no feature column is left (columns: "
                        + String.join(", ", names) + ")");
            }
            featureFields = features.stream().mapToInt(Integer::intValue).toArray();
            columns = new ColumnState[featureFields.length];
            cellIsNumber = new boolean[featureFields.length];
            for (int j = 0; j < columns.length; j++) {
                columns[j] = new ColumnState(Optional.ofNullable(forced.get(featureFields[j])));
            }
        }

        private int resolveLabel() {
            String label = settings.label();
            switch (label.toLowerCase(Locale.ROOT)) {
                case "none":
                    return -1;
                case "first":
                    return 0;
                case "last":
                    return fieldCount - 1;
                case "auto":
                    if (countLine != null && !countLineClasses.isEmpty()) {
                        return fieldCount - 1;
                    }
                    if (header != null) {
                        for (int f = 0; f < names.size(); f++) {
                            if (LABEL_NAMES.contains(names.get(f).toLowerCase(Locale.ROOT))) {
                                return f;
                            }
                        }
                    }
                    return -1;
                default:
                    return resolve(label, CsvDataSource.LABEL);
            }
        }

        /** A column reference: a name (exact, else the one case-insensitive match) or a 1-based position. */
        private int resolve(String ref, String option) {
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

        private String describe(int field) {
            return field < names.size() ? (field + 1) + " (" + names.get(field) + ")" : String.valueOf(field + 1);
        }

        // ---- one data record --------------------------------------------------------------

        private void accept(HeadRecord r) {
            if (r.fields() == null) {
                bad(r.line(), describe(r.error().field() - 1), r.error().getMessage());
                return;
            }
            List<String> fields = r.fields();
            if (fields.size() != fieldCount) {
                int at = Math.min(fields.size(), fieldCount) + 1;
                bad(r.line(), describe(at - 1), "expected " + fieldCount + " fields, found " + fields.size());
                return;
            }
            // Check the whole row before counting anything, so a skipped row leaves no trace.
            for (int j = 0; j < featureFields.length; j++) {
                String cell = fields.get(featureFields[j]);
                if (isMissing(cell)) {
                    continue;
                }
                ColumnState col = columns[j];
                boolean number = Numbers.isNumber(cell);
                cellIsNumber[j] = number; // parsed once per cell; count() below reuses it
                if (number && !Float.isFinite((float) Numbers.parse(cell)) && !col.categorical()) {
                    bad(r.line(), describe(featureFields[j]), "'" + cell + "' is out of the float32 range");
                    return;
                }
                if (!number && col.forced.equals(Optional.of(ColumnSpec.Kind.NUMERIC))) {
                    bad(r.line(), describe(featureFields[j]), "'" + cell + "' is not a number (the column is numeric by the option '"
                            + CsvDataSource.NUMERIC + "'); add it to the option '" + CsvDataSource.MISSING + "' if it means missing");
                    return;
                }
                if (!number && col.forced.isEmpty() && col.numeric && col.overflow) {
                    bad(r.line(), describe(featureFields[j]), "'" + cell + "' is not a number, but the column held more than "
                            + NUMERIC_DISTINCT_CAP + " distinct numbers before it, so it is read as numeric; add '" + cell
                            + "' to the option '" + CsvDataSource.MISSING + "' if it means missing, or drop the column");
                    return;
                }
            }
            int classIndex = -2;
            if (labelField >= 0) {
                String cell = fields.get(labelField);
                if (isMissing(cell)) {
                    classIndex = -1;
                } else if (labelsAreIndices) {
                    if (!Numbers.isInteger(cell) || Long.parseLong(cell) < 0 || Long.parseLong(cell) >= countLineClasses.size()) {
                        bad(r.line(), describe(labelField), "label '" + cell + "' is not a class index 0.." + (countLineClasses.size() - 1)
                                + " of the first line's class names " + countLineClasses);
                        return;
                    }
                    classIndex = Integer.parseInt(cell);
                } else if (!labelCounts.containsKey(cell) && labelCounts.size() >= MAX_CLASSES) {
                    throw new DataFormatException(file, r.line(), describe(labelField), "the label column has more than "
                            + MAX_CLASSES + " distinct values; is it the right column? (option '" + CsvDataSource.LABEL + "')");
                }
            }
            for (int j = 0; j < featureFields.length; j++) {
                String cell = fields.get(featureFields[j]);
                if (!isMissing(cell)) {
                    count(columns[j], cell, cellIsNumber[j], r.line(), featureFields[j]);
                }
            }
            if (labelField >= 0) {
                String cell = fields.get(labelField);
                if (classIndex == -1) {
                    unlabeled++;
                } else if (labelsAreIndices) {
                    indexLabelCounts[classIndex]++;
                } else {
                    labelCounts.merge(cell, 1L, Long::sum);
                }
            }
            rows++;
        }

        private void count(ColumnState col, String cell, boolean number, long line, int field) {
            col.present++;
            if (!number && col.notNumbers++ == 0) {
                col.firstNotNumber = cell;
            }
            if (col.forced.isEmpty() && col.numeric && !number) {
                col.numeric = false; // the distinct set is complete: it never overflowed (checked above)
            }
            if (col.distinct == null || (col.overflow && !col.categorical())) {
                return;
            }
            if (col.distinct.add(cell)) {
                if (col.categorical() && col.distinct.size() > MAX_CATEGORIES) {
                    throw new DataFormatException(file, line, describe(field), "the column has more than " + MAX_CATEGORIES
                            + " distinct values, too many to one-hot encode; drop it (option '" + CsvDataSource.DROP
                            + "') or read it as numeric (option '" + CsvDataSource.NUMERIC + "')" + singleColumnHint());
                }
                if (!col.categorical() && col.distinct.size() > NUMERIC_DISTINCT_CAP) {
                    col.overflow = true;
                    col.distinct = null;
                }
            }
        }

        /**
         * A column read as categorical that looks like something else gets a warning: an identifier
         * (about one value per row) makes a one-hot block as wide as the table is long, and a column
         * of numbers with a few odd cells ("n/a") loses its order.
         */
        private void warnIfNotReallyCategorical(String name, ColumnState col, int categories) {
            if (col.forced.isPresent()) {
                return; // the user chose
            }
            if (categories > 50 && categories > col.present / 2) {
                LOG.warn("{}: column '{}' has {} distinct values in {} rows, an identifier? It becomes {} one-hot inputs; drop it "
                        + "(data.drop) or read it as numbers (data.numeric)", file, name, categories, col.present, categories);
            } else if (col.notNumbers > 0 && col.notNumbers * 20 <= col.present) {
                LOG.warn("{}: column '{}' holds numbers but for {} of {} cells (e.g. '{}'), so it is read as categorical with {} "
                        + "categories; if those cells mean missing, add the value to data.missing", file, name, col.notNumbers,
                        col.present, col.firstNotNumber, categories);
            }
        }

        /** A file read as one column usually means the wrong separator: say so where it surfaces. */
        private String singleColumnHint() {
            return fieldCount == 1 ? "; the file reads as a single column with separator '" + printable(separator)
                    + "': is that the right separator? (option '" + CsvDataSource.SEPARATOR + "')" : "";
        }

        private boolean isMissing(String cell) {
            return cell.isEmpty() || settings.missingTokens().contains(cell);
        }

        private void bad(long line, String column, String problem) {
            if (!settings.skipBadRows()) {
                throw new DataFormatException(file, line, column, problem + " (set '" + CsvDataSource.ON_BAD_ROW
                        + ": skip' to skip such rows)");
            }
            skipped++;
            if (firstProblems.size() < 3) {
                firstProblems.add("line " + line + ", column " + column + ": " + problem);
            }
        }

        // ---- result -----------------------------------------------------------------------

        CsvLayout finish(String fingerprint, BasicFileAttributes attributes) {
            if (rows == 0) {
                throw new DataFormatException(file, 0, null, skipped > 0 ? "every data row is malformed (" + skipped
                        + " skipped; first: " + firstProblems.get(0) + ")" : "has no data rows");
            }
            if (skipped > 0) {
                LOG.warn("{}: skipped {} malformed row(s) of {}; first: {}", file, skipped, rows + skipped,
                        String.join("; ", firstProblems));
            }
            if (countLine != null && Long.parseLong(countLine.get(0)) != rows + skipped) {
                LOG.warn("{}: the first line announces {} rows, the file has {}", file, countLine.get(0), rows + skipped);
            }
            List<ColumnSpec> specs = new ArrayList<>();
            List<Map<String, Integer>> categoryIndex = new ArrayList<>();
            boolean[] numeric = new boolean[columns.length];
            for (int j = 0; j < columns.length; j++) {
                ColumnState col = columns[j];
                String name = names.get(featureFields[j]);
                if (col.present == 0) {
                    LOG.warn("{}: column {} has no values (every cell missing)", file, describe(featureFields[j]));
                }
                if (col.categorical()) {
                    List<String> categories = sortedValues(col.distinct);
                    warnIfNotReallyCategorical(name, col, categories.size());
                    Map<String, Integer> index = new HashMap<>();
                    for (int k = 0; k < categories.size(); k++) {
                        index.put(categories.get(k), k);
                    }
                    specs.add(new ColumnSpec(name, ColumnSpec.Kind.CATEGORICAL, categories));
                    categoryIndex.add(Map.copyOf(index));
                } else {
                    numeric[j] = true;
                    specs.add(new ColumnSpec(name, ColumnSpec.Kind.NUMERIC, List.of()));
                    categoryIndex.add(Map.of());
                }
            }
            List<String> classNames;
            Map<String, Integer> labelIndex = new HashMap<>();
            long[] strata;
            if (labelField < 0) {
                classNames = List.of();
                strata = new long[] {rows};
            } else if (labelsAreIndices) {
                classNames = countLineClasses;
                strata = new long[classNames.size() + 1];
                System.arraycopy(indexLabelCounts, 0, strata, 0, classNames.size());
                strata[classNames.size()] = unlabeled;
            } else {
                classNames = sortedValues(labelCounts.keySet());
                if (classNames.size() > 100 || (classNames.size() > 20 && classNames.size() * 2 > rows)) {
                    LOG.warn("{}: the label column '{}' has {} classes in {} rows: a continuous or identifier column? Classification "
                            + "needs few classes; set data.label to another column, or none", file, names.get(labelField),
                            classNames.size(), rows);
                }
                strata = new long[classNames.size() + 1];
                for (int k = 0; k < classNames.size(); k++) {
                    labelIndex.put(classNames.get(k), k);
                    strata[k] = labelCounts.get(classNames.get(k));
                }
                strata[classNames.size()] = unlabeled;
            }
            if (labelField >= 0 && unlabeled > 0) {
                LOG.info("{}: {} row(s) have no label (missing value in column {})", file, unlabeled, describe(labelField));
            }
            LOG.debug("{}: {} rows, {} feature columns, label {}, {} classes", file, rows, featureFields.length,
                    labelField < 0 ? "none" : describe(labelField), classNames.size());
            return new CsvLayout(file, settings.charset(), separator, prefixRecords, fieldCount, names, featureFields, numeric,
                    new TableSchema(specs), List.copyOf(categoryIndex), labelField, labelsAreIndices, Map.copyOf(labelIndex),
                    classNames, settings.missingTokens(), settings.skipBadRows(), rows, skipped, strata, fingerprint,
                    attributes.size(), attributes.lastModifiedTime());
        }
    }

    /** Numbers in numeric order when every value is a number, otherwise in string order. */
    static List<String> sortedValues(Set<String> values) {
        List<String> out = new ArrayList<>(values);
        if (out.stream().allMatch(Numbers::isNumber)) {
            out.sort(Comparator.comparingDouble(Numbers::parse).thenComparing(Comparator.naturalOrder()));
        } else {
            out.sort(Comparator.naturalOrder());
        }
        return List.copyOf(out);
    }

    private static String printable(char c) {
        return c == '\t' ? "\\t" : String.valueOf(c);
    }

}

package io.pretext.tabular.csv;

import io.pretext.api.data.ColumnSpec;
import io.pretext.api.data.TableSchema;
import io.pretext.api.error.DataFormatException;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.Options;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first pass over a CSV file: detects the separator ({@link SeparatorDetection}), scikit-learn's
 * count line, the header and the columns ({@link HeadDetection}), resolves the column options
 * ({@link ColumnRoles}), infers each column's kind ({@link ColumnInference}), counts rows per class
 * for the split ({@link LabelTally}), finds malformed rows ({@link BadRows}) and hashes the file's
 * bytes. Memory stays bounded by the number of distinct categories, not by the file.
 */
final class CsvScanner {
    /** The scan's one logger: its warnings carry the name users know, whichever part of the scan raises them. */
    static final Logger LOG = LoggerFactory.getLogger(CsvScanner.class);

    /** Records looked at to decide the count line, the header and the field count. */
    static final int HEAD_RECORDS = 1000;

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
        char separator = settings.separator().orElseGet(() -> SeparatorDetection.detect(file, settings.charset()));
        MessageDigest sha = sha256();
        try (InputStream bytes = new DigestInputStream(Files.newInputStream(file), sha);
             CsvRecordReader reader = new CsvRecordReader(TextDecoding.decoder(bytes, settings.charset()), separator)) {
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
            throw TextDecoding.notText(file, settings.charset(), e);
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private final class Pass {
        private final CsvRecordReader reader;
        private final char separator;
        private final List<HeadRecord> head = new ArrayList<>();
        private final BadRows bad = new BadRows(file, settings.skipBadRows());
        private List<String> countLine;
        private int prefixRecords;
        private ColumnNames columns;
        private ColumnRoles roles;
        private ColumnInference[] inference;
        /** Whether each feature cell of the current row is a number, reused across rows. */
        private boolean[] cellIsNumber;
        private LabelTally labels;
        private long rows;

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
            List<String> countLineClasses = List.of();
            if (HeadDetection.isCountLine(head)) {
                countLine = head.get(0).fields();
                countLineClasses = List.copyOf(countLine.subList(2, countLine.size()));
                next = 1;
            }
            int prefixStart = next;
            boolean hasHeader = settings.header().orElseGet(
                    () -> HeadDetection.looksLikeHeader(head.subList(prefixStart, head.size()), settings.missingTokens()));
            List<String> header = null;
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
            int fieldCount = HeadDetection.fieldCount(file, header, header == null ? 0 : head.get(prefixRecords - 1).line(),
                    head.subList(next, head.size()), separator);
            columns = new ColumnNames(HeadDetection.columnNames(file, header, fieldCount), fieldCount, separator);
            roles = ColumnRoles.resolve(settings, options, columns, header != null, countLineClasses);
            inference = roles.forcedKinds().stream().map(ColumnInference::new).toArray(ColumnInference[]::new);
            cellIsNumber = new boolean[inference.length];
            labels = new LabelTally(countLineClasses, roles.labelsAreIndices());
            for (HeadRecord r : head.subList(next, head.size())) {
                accept(r);
            }
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

        // ---- one data record --------------------------------------------------------------

        private void accept(HeadRecord r) {
            if (r.fields() == null) {
                bad.report(r.line(), columns.describe(r.error().field() - 1), r.error().getMessage());
                return;
            }
            List<String> fields = r.fields();
            int fieldCount = columns.fieldCount();
            if (fields.size() != fieldCount) {
                int at = Math.min(fields.size(), fieldCount) + 1;
                bad.report(r.line(), columns.describe(at - 1), "expected " + fieldCount + " fields, found " + fields.size());
                return;
            }
            int[] featureFields = roles.featureFields();
            // Check the whole row before counting anything, so a skipped row leaves no trace.
            for (int j = 0; j < featureFields.length; j++) {
                String cell = fields.get(featureFields[j]);
                if (isMissing(cell)) {
                    continue;
                }
                boolean number = Numbers.isNumber(cell);
                cellIsNumber[j] = number; // parsed once per cell; counting below reuses it
                String problem = inference[j].problem(cell, number);
                if (problem != null) {
                    bad.report(r.line(), columns.describe(featureFields[j]), problem);
                    return;
                }
            }
            int labelField = roles.labelField();
            int classIndex = -2;
            if (labelField >= 0) {
                String cell = fields.get(labelField);
                if (isMissing(cell)) {
                    classIndex = -1;
                } else if (roles.labelsAreIndices()) {
                    String problem = labels.indexProblem(cell);
                    if (problem != null) {
                        bad.report(r.line(), columns.describe(labelField), problem);
                        return;
                    }
                    classIndex = Integer.parseInt(cell);
                } else {
                    labels.checkRoomFor(cell, file, r.line(), columns, labelField);
                }
            }
            for (int j = 0; j < featureFields.length; j++) {
                String cell = fields.get(featureFields[j]);
                if (!isMissing(cell)) {
                    inference[j].count(cell, cellIsNumber[j], file, r.line(), columns, featureFields[j]);
                }
            }
            if (labelField >= 0) {
                labels.count(classIndex, fields.get(labelField));
            }
            rows++;
        }

        private boolean isMissing(String cell) {
            return cell.isEmpty() || settings.missingTokens().contains(cell);
        }

        // ---- result -----------------------------------------------------------------------

        CsvLayout finish(String fingerprint, BasicFileAttributes attributes) {
            long skipped = bad.skipped();
            if (rows == 0) {
                throw new DataFormatException(file, 0, null, skipped > 0 ? "every data row is malformed (" + skipped
                        + " skipped; first: " + bad.firstProblems().get(0) + ")" : "has no data rows");
            }
            if (skipped > 0) {
                LOG.warn("{}: skipped {} malformed row(s) of {}; first: {}", file, skipped, rows + skipped,
                        String.join("; ", bad.firstProblems()));
            }
            if (countLine != null && Long.parseLong(countLine.get(0)) != rows + skipped) {
                LOG.warn("{}: the first line announces {} rows, the file has {}", file, countLine.get(0), rows + skipped);
            }
            int[] featureFields = roles.featureFields();
            List<ColumnSpec> specs = new ArrayList<>();
            List<Map<String, Integer>> categoryIndex = new ArrayList<>();
            boolean[] numeric = new boolean[inference.length];
            for (int j = 0; j < inference.length; j++) {
                ColumnInference col = inference[j];
                String name = columns.names().get(featureFields[j]);
                if (col.present() == 0) {
                    LOG.warn("{}: column {} has no values (every cell missing)", file, columns.describe(featureFields[j]));
                }
                if (col.categorical()) {
                    List<String> categories = col.categories();
                    col.warnIfNotReallyCategorical(file, name, categories.size());
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
            int labelField = roles.labelField();
            LabelTally.Classes classes = labelField < 0 ? LabelTally.none(rows)
                    : labels.classes(file, columns.names().get(labelField), rows);
            if (labelField >= 0 && labels.unlabeled() > 0) {
                LOG.info("{}: {} row(s) have no label (missing value in column {})", file, labels.unlabeled(),
                        columns.describe(labelField));
            }
            LOG.debug("{}: {} rows, {} feature columns, label {}, {} classes", file, rows, featureFields.length,
                    labelField < 0 ? "none" : columns.describe(labelField), classes.names().size());
            return new CsvLayout(file, settings.charset(), separator, prefixRecords, columns.fieldCount(), columns.names(),
                    featureFields, numeric, new TableSchema(specs), List.copyOf(categoryIndex), labelField, roles.labelsAreIndices(),
                    classes.index(), classes.names(), settings.missingTokens(), settings.skipBadRows(), rows, skipped,
                    classes.strata(), fingerprint, attributes.size(), attributes.lastModifiedTime());
        }
    }
}

package io.pretext.tabular.csv;

import io.pretext.api.DataSource;
import io.pretext.api.PretextApi;
import io.pretext.api.data.Dataset;
import io.pretext.api.data.Modality;
import io.pretext.api.error.DataFormatException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code csv} data source: reads a table as users have it. Header or none (detected),
 * separator detected or given, quoted fields, spaces around values, missing values ({@code ?},
 * {@code NA}, empty), scikit-learn's count line, column kinds inferred and overridable, a label
 * column by name or position, a seeded stratified train/test split. Opening scans the file once
 * (schema, classes, SHA-256 fingerprint); iterating streams it again, so files larger than memory
 * can be used for pretraining.
 */
public final class CsvDataSource implements DataSource {
    /** Option: the file, relative to the recipe's directory. */
    public static final String PATH = "path";
    /** Option: the field separator. */
    public static final String SEPARATOR = "separator";
    /** Option: whether the first line is a header. */
    public static final String HEADER = "header";
    /** Option: the label column. */
    public static final String LABEL = "label";
    /** Option: columns read as categorical. */
    public static final String CATEGORICAL = "categorical";
    /** Option: columns read as numeric. */
    public static final String NUMERIC = "numeric";
    /** Option: columns left out. */
    public static final String DROP = "drop";
    /** Option: cell values meaning missing. */
    public static final String MISSING = "missing";
    /** Option: what a malformed row does. */
    public static final String ON_BAD_ROW = "on-bad-row";
    /** Option: the character encoding. */
    public static final String ENCODING = "encoding";
    /** Option: which rows the data set holds. */
    public static final String SPLIT = "split";
    /** Option: the share of rows held out for testing. */
    public static final String TEST_FRACTION = "test-fraction";
    /** Option: the seed of the split. */
    public static final String SPLIT_SEED = "split-seed";
    /** Option: whether the split keeps class proportions. */
    public static final String STRATIFY = "stratify";

    /** Scans are kept for a few files, so opening the train and the test split of a file scans it once. */
    private static final int CACHED_SCANS = 8;
    private static final Map<ScanKey, CsvLayout> SCANS = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ScanKey, CsvLayout> eldest) {
            return size() > CACHED_SCANS;
        }
    };

    private record ScanKey(Path file, long size, FileTime lastModified, CsvSettings settings) {
    }

    @Override
    public String id() {
        return "csv";
    }

    @Override
    public String description() {
        return "CSV tables: header and separator detected, quoted fields, missing values, label column, stratified train/test split";
    }

    @Override
    public int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public Modality modality() {
        return Modality.TABLE;
    }

    /** The new file whole: its path, and all of its rows (not a split the pretraining recipe may have read). */
    @Override
    public Map<String, Object> readInstead(Path file, Options trained, Shape encoderInput) {
        return Map.of(PATH, file.toString(), SPLIT, "all");
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.requiredText(PATH, "the CSV file, relative to the recipe's directory"),
                OptionSpec.text(SEPARATOR, "auto", "field separator: auto, a character such as , ; or |, tab, comma, semicolon, pipe"),
                OptionSpec.choice(HEADER, "auto", "whether the first line names the columns", "auto", "true", "false"),
                OptionSpec.text(LABEL, "auto", "label column: a name, a 1-based position, first, last, none, or auto "
                        + "(last with a scikit-learn count line, else a header column named label, class or target, else none)"),
                OptionSpec.text(CATEGORICAL, "", "columns to read as categorical, comma-separated names or 1-based positions"),
                OptionSpec.text(NUMERIC, "", "columns to read as numeric, comma-separated names or 1-based positions"),
                OptionSpec.text(DROP, "", "columns to leave out, comma-separated names or 1-based positions"),
                OptionSpec.text(MISSING, "?,NA,NaN,nan", "comma-separated cell values meaning missing (an empty cell always does)"),
                OptionSpec.choice(ON_BAD_ROW, "fail", "a malformed row stops with an error naming file, line and column, or is "
                        + "skipped and counted", "fail", "skip"),
                OptionSpec.text(ENCODING, "UTF-8", "character encoding of the file (a Java charset name)"),
                OptionSpec.choice(SPLIT, "all", "rows to read: all (the runtime then makes its own held-out split for evaluation), or one side "
                        + "of this source's split (test-fraction, split-seed), e.g. its test side as a recipe's test-data", "all", "train", "test"),
                OptionSpec.decimal(TEST_FRACTION, 0.2, "share of rows held out as the test split").atLeast(0).lessThan(1),
                OptionSpec.integer(SPLIT_SEED, 0, "seed of the train/test split"),
                OptionSpec.flag(STRATIFY, true, "keep class proportions in both splits (labeled files)"));
    }

    @Override
    public Dataset open(Options options, Path baseDirectory) {
        double fraction = options.getDouble(TEST_FRACTION);
        CsvSettings settings = CsvSettings.from(options);
        Path file = baseDirectory.resolve(options.getString(PATH)).toAbsolutePath().normalize();
        CsvLayout layout = scan(file, settings, options);
        boolean stratified = options.getBoolean(STRATIFY) && layout.labeled();
        long[] strata = stratified ? layout.strata() : new long[] {layout.rows()};
        TestSelection selection = TestSelection.of(strata, fraction, options.getLong(SPLIT_SEED));
        CsvRowIterator.Split split = CsvRowIterator.Split.valueOf(options.getString(SPLIT).toUpperCase(java.util.Locale.ROOT));
        return new CsvDataset(layout, split, selection, stratified);
    }

    private static CsvLayout scan(Path file, CsvSettings settings, Options options) {
        Optional<ScanKey> key = keyOf(file, settings);
        if (key.isPresent()) {
            synchronized (SCANS) {
                CsvLayout cached = SCANS.get(key.get());
                if (cached != null) {
                    return cached;
                }
            }
        }
        CsvLayout layout = CsvScanner.scan(file, settings, options);
        key.ifPresent(k -> {
            synchronized (SCANS) {
                SCANS.put(k, layout);
            }
        });
        return layout;
    }

    private static Optional<ScanKey> keyOf(Path file, CsvSettings settings) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return Optional.of(new ScanKey(file, a.size(), a.lastModifiedTime(), settings));
        } catch (IOException e) {
            return Optional.empty(); // the scan reports the problem with the file's name
        }
    }

    /**
     * Convenience for code that reads a table without a recipe (tests, benchmarks).
     *
     * @param file the CSV file
     * @param options option values by name (strings or typed values); {@code path} is set from {@code file}
     * @return the opened data set
     * @throws DataFormatException naming file, line and column on bad data
     */
    public Dataset open(Path file, Map<String, ?> options) {
        Map<String, Object> raw = new LinkedHashMap<>(options);
        raw.put(PATH, file.toString());
        return open(Options.resolve("data", options(), raw), Path.of(""));
    }
}

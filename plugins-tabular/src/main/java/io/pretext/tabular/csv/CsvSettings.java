package io.pretext.tabular.csv;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.Options;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The options of the {@code csv} source that decide how the file is read, parsed and checked.
 * The split options are not part of it: both splits of a file share one scan.
 *
 * @param separator the field separator, or empty to detect it
 * @param header whether the first line names the columns, or empty to detect it
 * @param label which column holds the label: {@code auto}, {@code none}, {@code first}, {@code last},
 *     a column name or a 1-based position
 * @param categorical columns forced categorical (names or 1-based positions)
 * @param numeric columns forced numeric (names or 1-based positions)
 * @param drop columns left out (names or 1-based positions)
 * @param missingTokens cell values that mean "missing" (the empty cell always does)
 * @param skipBadRows true to skip and count malformed rows, false to fail on the first
 * @param charset the file's character encoding
 */
record CsvSettings(Optional<Character> separator, Optional<Boolean> header, String label, List<String> categorical,
                   List<String> numeric, List<String> drop, Set<String> missingTokens, boolean skipBadRows, Charset charset) {

    /** The separators tried when none is given, in order of preference on a tie. */
    static final char[] CANDIDATE_SEPARATORS = {',', ';', '\t', '|'};

    /** Copies the collections. */
    CsvSettings {
        categorical = List.copyOf(categorical);
        numeric = List.copyOf(numeric);
        drop = List.copyOf(drop);
        missingTokens = Set.copyOf(missingTokens);
    }

    /**
     * @param options validated options of the {@code csv} source
     * @return the parsed settings
     * @throws InvalidOptionException for a separator or charset that cannot be used
     */
    static CsvSettings from(Options options) {
        return new CsvSettings(separator(options.getString(CsvDataSource.SEPARATOR), options.key(CsvDataSource.SEPARATOR)), header(options.getString(CsvDataSource.HEADER)),
                options.getString(CsvDataSource.LABEL).trim(), list(options.getString(CsvDataSource.CATEGORICAL)),
                list(options.getString(CsvDataSource.NUMERIC)), list(options.getString(CsvDataSource.DROP)),
                new LinkedHashSet<>(list(options.getString(CsvDataSource.MISSING))),
                options.getString(CsvDataSource.ON_BAD_ROW).equals("skip"), charset(options.getString(CsvDataSource.ENCODING), options.key(CsvDataSource.ENCODING)));
    }

    private static Optional<Character> separator(String raw, String key) {
        switch (raw) {
            case "auto":
                return Optional.empty();
            case "", "tab", "\\t":
                // Option values arrive trimmed, so a literal tab character reads as empty.
                return Optional.of('\t');
            case "comma":
                return Optional.of(',');
            case "semicolon":
                return Optional.of(';');
            case "pipe":
                return Optional.of('|');
            default:
                if (raw.length() == 1 && raw.charAt(0) != '"' && !Character.isLetterOrDigit(raw.charAt(0))) {
                    return Optional.of(raw.charAt(0));
                }
                throw new InvalidOptionException(key, "'" + raw
                        + "' cannot separate fields; allowed: auto, a single character such as , or ; or |, tab, comma, semicolon, pipe");
        }
    }

    private static Optional<Boolean> header(String raw) {
        return raw.equals("auto") ? Optional.empty() : Optional.of(Boolean.parseBoolean(raw));
    }

    private static Charset charset(String raw, String key) {
        try {
            return Charset.forName(raw);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new InvalidOptionException(key, "unknown character encoding '" + raw
                    + "'; use a Java charset name such as UTF-8, ISO-8859-1 or windows-1252");
        }
    }

    private static List<String> list(String raw) {
        List<String> out = new ArrayList<>();
        for (String part : raw.split(",")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }
}

package io.pretext.tabular.csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits character input into CSV records (RFC 4180): fields separated by one character, fields
 * optionally enclosed in double quotes, {@code ""} inside quotes for a quote, separators and line
 * breaks allowed inside quotes. Lines end with LF, CRLF or CR. Spaces and tabs around a field are
 * trimmed (outside the quotes of a quoted field), which is how files such as UCI Adult
 * ({@code 39; State-gov;...}) are meant to be read. Blank lines are skipped.
 *
 * <p>Not thread-safe: one reader per pass over a file.
 */
final class CsvRecordReader implements Closeable {

    /** A record that breaks the CSV syntax; {@code line} is where the record starts. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        private final long line;
        private final int field;

        SyntaxException(long line, int field, String message) {
            super(message);
            this.line = line;
            this.field = field;
        }

        /** @return the 1-based line where the broken record starts */
        long line() {
            return line;
        }

        /** @return the 1-based field index where the syntax broke */
        int field() {
            return field;
        }
    }

    private static final int EOF = -1;

    private final Reader in;
    private final char separator;
    private final char[] buffer = new char[1 << 16];
    private int position;
    private int limit;
    private long line = 1;
    private long recordLine;
    private boolean first = true;
    private final StringBuilder field = new StringBuilder(64);

    /**
     * @param in the characters; closed by {@link #close()}
     * @param separator the field separator
     */
    CsvRecordReader(Reader in, char separator) {
        this.in = in;
        this.separator = separator;
    }

    /** @return the 1-based line where the record last returned by {@link #next()} starts */
    long recordLine() {
        return recordLine;
    }

    /**
     * @return the next record's fields, or null at the end of the input
     * @throws SyntaxException for an unterminated quote or text after a closing quote; the reader
     *     has then moved past the broken record, so reading may continue
     * @throws IOException when the input fails
     */
    List<String> next() throws IOException, SyntaxException {
        while (true) {
            int c = read();
            if (first) {
                first = false;
                if (c == '\uFEFF') { // a UTF-8 byte order mark is not part of the first field
                    c = read();
                }
            }
            if (c == EOF) {
                return null;
            }
            if (c == '\n') {
                continue; // blank line
            }
            recordLine = line;
            List<String> fields = new ArrayList<>();
            boolean blank = true;
            while (true) {
                // c is the first character of a field (or the separator/line end closing an empty one)
                while (isSpace(c)) {
                    c = read();
                }
                field.setLength(0);
                if (c == '"') {
                    blank = false;
                    long quoteLine = line;
                    while (true) {
                        c = read();
                        if (c == EOF) {
                            throw new SyntaxException(recordLine, fields.size() + 1,
                                    "unterminated quoted field (the quote opens on line " + quoteLine + ")");
                        }
                        if (c == '"') {
                            c = read();
                            if (c == '"') {
                                field.append('"');
                                continue;
                            }
                            break;
                        }
                        field.append((char) c);
                    }
                    while (isSpace(c)) {
                        c = read();
                    }
                    if (c != separator && c != '\n' && c != EOF) {
                        int at = fields.size() + 1;
                        char bad = (char) c;
                        skipRestOfRecord(c);
                        throw new SyntaxException(recordLine, at, "unexpected character '" + bad + "' after a closing quote");
                    }
                } else {
                    while (c != separator && c != '\n' && c != EOF) {
                        field.append((char) c);
                        c = read();
                    }
                    int end = field.length();
                    while (end > 0 && isSpace(field.charAt(end - 1))) {
                        end--;
                    }
                    field.setLength(end);
                    if (end > 0) {
                        blank = false;
                    }
                }
                fields.add(field.toString());
                if (c == separator) {
                    blank = false;
                    c = read();
                    continue;
                }
                break; // line end or EOF
            }
            if (blank) {
                continue; // a line of spaces only
            }
            return fields;
        }
    }

    private void skipRestOfRecord(int c) throws IOException {
        boolean quoted = false;
        while (c != EOF && (quoted || c != '\n')) {
            if (c == '"') {
                quoted = !quoted;
            }
            c = read();
        }
    }

    private boolean isSpace(int c) {
        return (c == ' ' || c == '\t') && c != separator;
    }

    /** Reads one character, turning CRLF and lone CR into LF and counting lines. */
    private int read() throws IOException {
        int c = raw();
        if (c == '\r') {
            int next = raw();
            if (next != '\n' && next != EOF) {
                position--; // lone CR: keep the next character
            }
            c = '\n';
        }
        if (c == '\n') {
            line++;
        }
        return c;
    }

    private int raw() throws IOException {
        if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return EOF;
            }
        }
        return buffer[position++];
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

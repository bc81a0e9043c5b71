package io.pretext.api.error;

import io.pretext.api.ApiStatus;
import java.nio.file.Path;

/** Input data that cannot be read: names the file and, where known, the line and column. */
@ApiStatus(ApiStatus.Status.STABLE)
public final class DataFormatException extends PretextException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final long line;
    private final String column;

    /**
     * @param file the file being read
     * @param line 1-based line number, or 0 when not line-oriented
     * @param column the column name or 1-based index, or null when not applicable
     * @param problem what is wrong with the data
     */
    public DataFormatException(Path file, long line, String column, String problem) {
        super(location(file, line, column) + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /**
     * @param file the file being read
     * @param problem what is wrong with the data
     * @param cause the underlying failure
     */
    public DataFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.line = 0;
        this.column = null;
    }

    /** @return the file that failed */
    public Path file() {
        return file;
    }

    /** @return the 1-based line, or 0 when unknown */
    public long line() {
        return line;
    }

    /** @return the column, or null when unknown */
    public String column() {
        return column;
    }

    private static String location(Path file, long line, String column) {
        StringBuilder sb = new StringBuilder(String.valueOf(file));
        if (line > 0) {
            sb.append(", line ").append(line);
        }
        if (column != null) {
            sb.append(", column ").append(column);
        }
        return sb.toString();
    }
}

package io.pretext.runtime.embed;

import io.pretext.api.error.InvalidOptionException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes embeddings row by row as they are computed, so memory stays bounded whatever the number
 * of rows. The file appears under its name only when {@link #close} succeeds: a failed or
 * interrupted run never leaves a half-written file that looks finished.
 */
public sealed interface EmbeddingWriter extends AutoCloseable permits CsvEmbeddingWriter, NpyEmbeddingWriter {

    /**
     * @param file the output; its extension chooses the format: {@code .csv} (text, one row per line)
     *     or {@code .npy} (NumPy float32 array [rows, width])
     * @return a writer
     * @throws InvalidOptionException naming {@code --out} for another extension
     */
    static EmbeddingWriter open(Path file) {
        return checkFormat(file) ? new CsvEmbeddingWriter(file) : new NpyEmbeddingWriter(file);
    }

    /**
     * @param file an output file
     * @return true for CSV, false for NPY
     * @throws InvalidOptionException naming {@code --out} for another extension
     */
    static boolean checkFormat(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return true;
        }
        if (name.endsWith(".npy")) {
            return false;
        }
        throw new InvalidOptionException("--out", "'" + file + "' must end in .csv or .npy (the format follows the extension)");
    }

    /**
     * Appends rows.
     *
     * @param data {@code rows * width} values, row-major
     * @param rows how many rows {@code data} holds
     * @param width values per row; the same for every call
     */
    void write(float[] data, int rows, int width);

    /** @return rows written so far */
    long rows();

    /** Finishes the file and moves it to its name. */
    @Override
    void close();

    /** Drops the partial file; the target is left as it was. */
    void abort();
}

package io.pretext.runtime.embed;

import io.pretext.api.error.PretextException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Embeddings as CSV: a header {@code e0,e1,...}, then one line per row, each value in the
 * shortest decimal form that reads back as the same float.
 */
final class CsvEmbeddingWriter implements EmbeddingWriter {

    private final StagedFile staged;
    private final BufferedWriter out;
    private int width = -1;
    private long rows;

    CsvEmbeddingWriter(Path file) {
        this.staged = StagedFile.create(file);
        this.out = new BufferedWriter(new OutputStreamWriter(staged.stream(), StandardCharsets.UTF_8), 1 << 16);
    }

    @Override
    public void write(float[] data, int count, int rowWidth) {
        try {
            if (width < 0) {
                width = rowWidth;
                StringBuilder header = new StringBuilder();
                for (int j = 0; j < width; j++) {
                    header.append(j == 0 ? "" : ",").append('e').append(j);
                }
                out.write(header.toString());
                out.newLine();
            } else if (rowWidth != width) {
                throw new IllegalArgumentException("row width changed from " + width + " to " + rowWidth);
            }
            StringBuilder line = new StringBuilder(width * 12);
            for (int r = 0; r < count; r++) {
                line.setLength(0);
                for (int j = 0; j < width; j++) {
                    if (j > 0) {
                        line.append(',');
                    }
                    line.append(data[r * width + j]);
                }
                out.write(line.toString());
                out.newLine();
            }
            rows += count;
        } catch (IOException e) {
            abort();
            throw new PretextException("cannot write " + staged.target() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            abort();
            throw new PretextException("cannot write " + staged.target() + ": " + e.getMessage(), e);
        }
        staged.commit();
    }

    @Override
    public void abort() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the file is being dropped
        }
        staged.discard();
    }
}

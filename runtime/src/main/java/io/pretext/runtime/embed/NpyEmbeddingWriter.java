package io.pretext.runtime.embed;

import io.pretext.api.error.PretextException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Embeddings as a NumPy {@code .npy} file (format 1.0): a little-endian float32 array of shape
 * [rows, width], loadable with {@code numpy.load} (and memory-mappable). The row count is unknown
 * while streaming, so the header is written with room for any count and rewritten in place at the
 * end.
 */
final class NpyEmbeddingWriter implements EmbeddingWriter {

    /** Header size including magic and length fields: a multiple of 64, as NumPy aligns it. */
    static final int HEADER_BYTES = 128;
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

    private final StagedFile staged;
    private final OutputStream out;
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private int width = -1;
    private long rows;

    NpyEmbeddingWriter(Path file) {
        this.staged = StagedFile.create(file);
        this.out = new BufferedOutputStream(staged.stream(), 1 << 16);
        try {
            out.write(header(0, 0));
        } catch (IOException e) {
            abort();
            throw new PretextException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The complete header for an array [rows, width], padded with spaces to {@link #HEADER_BYTES}. */
    static byte[] header(long rows, int width) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + width + "), }";
        int textBytes = HEADER_BYTES - MAGIC.length - 2;
        StringBuilder text = new StringBuilder(dict);
        while (text.length() < textBytes - 1) {
            text.append(' ');
        }
        text.append('\n');
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) textBytes).put(text.toString().getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    @Override
    public void write(float[] data, int count, int rowWidth) {
        if (width < 0) {
            width = rowWidth;
        } else if (rowWidth != width) {
            throw new IllegalArgumentException("row width changed from " + width + " to " + rowWidth);
        }
        try {
            int n = count * width;
            for (int i = 0; i < n; i++) {
                if (!buffer.hasRemaining()) {
                    flush();
                }
                buffer.putFloat(data[i]);
            }
            rows += count;
        } catch (IOException e) {
            abort();
            throw new PretextException("cannot write " + staged.target() + ": " + e.getMessage(), e);
        }
    }

    private void flush() throws IOException {
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public void close() {
        try {
            flush();
            out.close();
            try (FileChannel ch = FileChannel.open(staged.temp(), StandardOpenOption.WRITE)) {
                ByteBuffer h = ByteBuffer.wrap(header(rows, Math.max(width, 0)));
                while (h.hasRemaining()) {
                    ch.write(h, h.position());
                }
            }
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

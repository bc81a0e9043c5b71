package io.pretext.vision.source;

import io.pretext.api.error.DataFormatException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * One IDX image file's header and how many complete images it holds.
 *
 * @param path the file
 * @param declared the images its header declares
 * @param complete the images it holds whole (fewer than declared when the file is cut short)
 * @param height rows per image
 * @param width columns per image
 * @param channels channels per image (1 or 3)
 * @param headerBytes the bytes before the first image
 */
record IdxImageFile(Path path, int declared, int complete, int height, int width, int channels, int headerBytes) {

    /**
     * Reads the file once: its header, and its bytes into the digest and to the end, to count the
     * complete images.
     *
     * @param path the image file
     * @param digest the data set's fingerprint, which the file's raw bytes are added to
     * @param skipBad true to keep the complete images of a file cut short, false to refuse it
     * @return the file's description
     * @throws DataFormatException naming the file when it is not an IDX image file, or is truncated and not skipped
     */
    static IdxImageFile scan(Path path, MessageDigest digest, boolean skipBad) {
        try {
            // The fingerprint covers the raw (possibly compressed) bytes, as stored.
            SourceFiles.hash(digest, path);
            try (DataInputStream in = new DataInputStream(SourceFiles.open(path))) {
                return scan(path, in, skipBad);
            }
        } catch (IOException e) {
            throw new DataFormatException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    private static IdxImageFile scan(Path path, DataInputStream in, boolean skipBad) throws IOException {
        int magic = IdxHeader.readInt(path, in, "magic number");
        int dims;
        if (magic == IdxHeader.IMAGE_MAGIC_3D) {
            dims = 3;
        } else if (magic == IdxHeader.IMAGE_MAGIC_4D) {
            dims = 4;
        } else if (magic == IdxHeader.LABEL_MAGIC) {
            throw new DataFormatException(path, 0, null, "is an IDX label file (magic 0x00000801); give it as data.labels, and the "
                    + "image file as data.images");
        } else {
            throw new DataFormatException(path, 0, null, String.format("is not an IDX image file of unsigned bytes: magic 0x%08x, "
                    + "expected 0x00000803 (N x H x W) or 0x00000804 (N x H x W x C)", magic));
        }
        int n = IdxHeader.readInt(path, in, "image count");
        int h = IdxHeader.readInt(path, in, "rows");
        int w = IdxHeader.readInt(path, in, "columns");
        int c = dims == 4 ? IdxHeader.readInt(path, in, "channels") : 1;
        if (n < 0 || h <= 0 || w <= 0 || (c != 1 && c != 3)) {
            throw new DataFormatException(path, 0, null, "bad IDX header: " + n + " images of " + h + "x" + w + "x" + c
                    + " (channels must be 1 or 3)");
        }
        long perImage = (long) h * w * c;
        long available = skipFully(in);
        long complete = Math.min(n, available / perImage);
        if (complete < n) {
            String problem = "truncated: the header declares " + n + " images of " + h + "x" + w + "x" + c + " (" + n * perImage
                    + " bytes) but " + available + " bytes follow; image " + (complete + 1) + " is incomplete";
            if (!skipBad) {
                throw new DataFormatException(path, 0, null, problem + " (set data.on-bad-image: skip to keep the " + complete
                        + " complete images)");
            }
            IdxDataSource.LOG.warn("{}: {}; keeping the {} complete images", path, problem, complete);
        } else if (available > n * perImage) {
            IdxDataSource.LOG.warn("{}: {} bytes after the {} declared images are ignored", path, available - n * perImage, n);
        }
        return new IdxImageFile(path, n, (int) complete, h, w, c, 4 * (1 + dims));
    }

    /** Counts the bytes left; a compressed file cut short counts what it still holds, like a plain file cut short. */
    private static long skipFully(InputStream in) throws IOException {
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        int n;
        try {
            while ((n = in.read(buffer)) > 0) {
                total += n;
            }
        } catch (EOFException e) {
            // GZIPInputStream: "Unexpected end of ZLIB input stream"; the truncation is reported by the caller
            IdxDataSource.LOG.debug("compressed data ends early after {} bytes: {}", total, e.getMessage());
        }
        return total;
    }
}

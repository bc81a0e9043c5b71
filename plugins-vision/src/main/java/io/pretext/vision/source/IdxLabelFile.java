package io.pretext.vision.source;

import io.pretext.api.error.DataFormatException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/** IDX label files: reading one against its image file, and finding an image file's MNIST-style label file. */
final class IdxLabelFile {

    private IdxLabelFile() {
    }

    /**
     * @param path the label file
     * @param images the image file it labels
     * @param digest the data set's fingerprint, which the file's raw bytes are added to
     * @return one label per complete image of the image file
     * @throws DataFormatException naming the file when it is not a label file, does not match the images or is truncated
     */
    static byte[] read(Path path, IdxImageFile images, MessageDigest digest) {
        try (InputStream raw = SourceFiles.open(path)) {
            SourceFiles.hash(digest, path);
            DataInputStream in = new DataInputStream(raw);
            int magic = IdxHeader.readInt(path, in, "magic number");
            if (magic != IdxHeader.LABEL_MAGIC) {
                throw new DataFormatException(path, 0, null, String.format("is not an IDX label file: magic 0x%08x, expected 0x00000801",
                        magic));
            }
            int n = IdxHeader.readInt(path, in, "label count");
            if (n != images.declared()) {
                throw new DataFormatException(path, 0, null, "holds " + n + " labels but " + images.path().getFileName() + " holds "
                        + images.declared() + " images");
            }
            byte[] labels = in.readNBytes(n);
            if (labels.length < n) {
                throw new DataFormatException(path, 0, null, "truncated: the header declares " + n + " labels but " + labels.length
                        + " follow");
            }
            return Arrays.copyOf(labels, images.complete());
        } catch (IOException e) {
            throw new DataFormatException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * @param imageFile an IDX image file
     * @return its MNIST-style sibling ({@code X-labels-idx1-ubyte} beside {@code X-images-idx3-ubyte}), when there is one
     */
    static Optional<Path> siblingOf(Path imageFile) {
        String name = imageFile.getFileName().toString();
        Path sibling = imageFile.resolveSibling(name.replace("images-idx", "labels-idx").replace("-idx3-", "-idx1-"));
        return name.contains("images-idx") && Files.isRegularFile(sibling) ? Optional.of(sibling) : Optional.empty();
    }
}

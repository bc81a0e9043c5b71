package io.pretext.vision.source;

import io.pretext.api.error.DataFormatException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;

/** The big-endian header of an IDX file: its magic numbers and how a header field is read. */
final class IdxHeader {
    /** Unsigned-byte images N x H x W. */
    static final int IMAGE_MAGIC_3D = 0x00000803;
    /** Unsigned-byte images N x H x W x C. */
    static final int IMAGE_MAGIC_4D = 0x00000804;
    /** Unsigned-byte labels N. */
    static final int LABEL_MAGIC = 0x00000801;

    private IdxHeader() {
    }

    /**
     * @param path the file, for the error
     * @param in its bytes, at the field
     * @param what the field's name, for the error
     * @return the field's value
     * @throws DataFormatException when the file ends before the field
     * @throws IOException when the file cannot be read
     */
    static int readInt(Path path, DataInputStream in, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DataFormatException(path, 0, null, "truncated IDX header: the file ends before the " + what);
        }
    }
}

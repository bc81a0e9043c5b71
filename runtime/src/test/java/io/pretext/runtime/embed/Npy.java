package io.pretext.runtime.embed;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A minimal reader of NumPy .npy float32 2-D arrays, written from the format specification for the tests. */
record Npy(int rows, int width, float[] data) {

    static Npy read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        b.get(magic);
        if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException("not an npy file");
        }
        int major = b.get();
        b.get();
        if (major != 1) {
            throw new IOException("version " + major);
        }
        int headerLength = Short.toUnsignedInt(b.getShort());
        byte[] header = new byte[headerLength];
        b.get(header);
        String dict = new String(header, StandardCharsets.US_ASCII);
        if ((10 + headerLength) % 64 != 0 || !dict.endsWith("\n")) {
            throw new IOException("header not padded to 64 bytes with a final newline: " + dict);
        }
        if (!dict.contains("'descr': '<f4'") || !dict.contains("'fortran_order': False")) {
            throw new IOException("not little-endian float32 in C order: " + dict);
        }
        Matcher m = Pattern.compile("'shape': \\((\\d+), (\\d+)\\)").matcher(dict);
        if (!m.find()) {
            throw new IOException("no 2-D shape: " + dict);
        }
        int rows = Integer.parseInt(m.group(1));
        int width = Integer.parseInt(m.group(2));
        if (b.remaining() != 4L * rows * width) {
            throw new IOException(b.remaining() + " data bytes for shape (" + rows + ", " + width + ")");
        }
        float[] data = new float[rows * width];
        b.asFloatBuffer().get(data);
        return new Npy(rows, width, data);
    }
}

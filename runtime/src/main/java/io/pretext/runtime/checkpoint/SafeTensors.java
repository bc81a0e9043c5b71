package io.pretext.runtime.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.api.error.PretextException;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (8-byte little-endian header length, JSON header, raw little-endian
 * arrays), readable from Python with {@code safetensors.numpy.load_file}. Float32 parameters only,
 * plus string metadata under {@code __metadata__}.
 */
public final class SafeTensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {
    }

    /** Parameters and metadata as read from a file. */
    public record Contents(ParameterSet tensors, Map<String, String> metadata) {
    }

    /** Writes tensors and metadata to {@code file} atomically (temp file in the same folder, then rename). */
    public static void write(Path file, ParameterSet tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put("__metadata__", new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, HostTensor.Floats> e : tensors.asMap().entrySet()) {
            long bytes = 4L * e.getValue().data().length;
            List<Integer> shape = new ArrayList<>();
            for (int d : e.getValue().shape().dims()) {
                shape.add(d);
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", "F32");
            info.put("shape", shape);
            info.put("data_offsets", List.of(offset, offset + bytes));
            header.put(e.getKey(), info);
            offset += bytes;
        }
        byte[] headerBytes;
        try {
            headerBytes = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        int padded = (headerBytes.length + 7) / 8 * 8;
        byte[] headerPadded = new byte[padded];
        System.arraycopy(headerBytes, 0, headerPadded, 0, headerBytes.length);
        for (int i = headerBytes.length; i < padded; i++) {
            headerPadded[i] = ' ';
        }
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(headerPadded);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (HostTensor.Floats t : tensors.asMap().values()) {
                for (float f : t.data()) {
                    if (buf.remaining() < 4) {
                        flush(buf, out);
                    }
                    buf.putFloat(f);
                }
            }
            flush(buf, out);
        });
    }

    private static void flush(ByteBuffer buf, OutputStream out) throws IOException {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
    }

    /** Reads a safetensors file written by Pretext or by Python (F32 tensors). */
    public static Contents read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw corrupt(file, "shorter than the 8-byte header length");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long headerLength = len.flip().getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
                throw corrupt(file, "header length " + headerLength + " does not fit a file of " + size + " bytes (truncated?)");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLength);
            readFully(ch, headerBuf, 8);
            Map<String, Object> header;
            try {
                header = JSON.readValue(new String(headerBuf.array(), StandardCharsets.UTF_8).trim(), new TypeReference<>() {
                });
            } catch (IOException e) {
                throw corrupt(file, "header is not valid JSON: " + e.getMessage());
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, HostTensor.Floats> tensors = new LinkedHashMap<>();
            long dataStart = 8 + headerLength;
            for (Map.Entry<String, Object> e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    if (e.getValue() instanceof Map<?, ?> m) {
                        m.forEach((k, v) -> metadata.put(String.valueOf(k), String.valueOf(v)));
                    }
                    continue;
                }
                if (!(e.getValue() instanceof Map<?, ?> info)) {
                    throw corrupt(file, "entry '" + e.getKey() + "' is not an object");
                }
                if (!"F32".equals(info.get("dtype"))) {
                    throw corrupt(file, "tensor '" + e.getKey() + "' has dtype " + info.get("dtype") + "; only F32 is supported");
                }
                List<?> shapeList = (List<?>) info.get("shape");
                List<?> offsets = (List<?>) info.get("data_offsets");
                int[] dims = shapeList.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
                long begin = ((Number) offsets.get(0)).longValue();
                long end = ((Number) offsets.get(1)).longValue();
                Shape shape = Shape.of(dims);
                if (end - begin != 4L * shape.size() || dataStart + end > size || begin < 0) {
                    throw corrupt(file, "tensor '" + e.getKey() + "' data offsets [" + begin + ", " + end + ") do not match shape " + shape
                            + " or the file size (truncated?)");
                }
                ByteBuffer data = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, data, dataStart + begin);
                data.flip();
                float[] values = new float[(int) shape.size()];
                data.asFloatBuffer().get(values);
                tensors.put(e.getKey(), HostTensor.of(shape, values));
            }
            return new Contents(new ParameterSet(tensors), metadata);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new PretextException(file.toAbsolutePath() + " does not exist", e);
        } catch (IOException e) {
            throw new PretextException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + pos);
            }
            pos += n;
        }
    }

    private static PretextException corrupt(Path file, String why) {
        return new PretextException("safetensors file " + file + " is corrupt: " + why);
    }

    /** True when the file starts like a safetensors file (used to tell checkpoints from other inputs). */
    public static boolean looksLike(Path file) {
        return Files.isRegularFile(file) && file.getFileName().toString().endsWith(".safetensors");
    }
}

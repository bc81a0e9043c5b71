package io.pretext.vision.source;

import io.pretext.api.DataSource;
import io.pretext.api.PretextApi;
import io.pretext.api.data.Dataset;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.data.Modality;
import io.pretext.api.error.DataFormatException;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code idx} data source: images and labels in the IDX format of MNIST (big-endian header,
 * magic {@code 0x00000803} for unsigned-byte images N x H x W, {@code 0x00000804} for N x H x W x C,
 * {@code 0x00000801} for labels), gzip-compressed or not. Several image files (e.g. MNIST's training
 * and test files) are read as one data set, in the order given. Opening reads each file once
 * (header checks, SHA-256, truncation); each pass streams the images again, so memory holds only
 * the labels. Labels are class indices; the classes are 0 to the largest label, named by number.
 */
public final class IdxDataSource implements DataSource {
    /** Option: image files. */
    public static final String IMAGES = "images";
    /** Option: label files. */
    public static final String LABELS = "labels";

    private static final Logger LOG = LoggerFactory.getLogger(IdxDataSource.class);
    private static final int IMAGE_MAGIC_3D = 0x00000803;
    private static final int IMAGE_MAGIC_4D = 0x00000804;
    private static final int LABEL_MAGIC = 0x00000801;

    @Override
    public String id() {
        return "idx";
    }

    @Override
    public String description() {
        return "IDX image and label files (the MNIST format), gzip or not; several files read as one data set";
    }

    @Override
    public int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public Modality modality() {
        return Modality.IMAGE;
    }

    /**
     * The new image file whole, at the trained size. The old label file belongs to the old images;
     * the new file's labels are its MNIST-style sibling ({@code X-images-idx3-ubyte} beside
     * {@code X-labels-idx1-ubyte}) when there is one, else none ({@code --set data.labels=...}).
     */
    @Override
    public Map<String, Object> readInstead(Path file, Options trained, Shape encoderInput) {
        Map<String, Object> out = new LinkedHashMap<>(ImageSettings.readLike(encoderInput));
        out.put(IMAGES, file.toString());
        String name = file.getFileName().toString();
        Path sibling = file.resolveSibling(name.replace("images-idx", "labels-idx").replace("-idx3-", "-idx1-"));
        boolean found = name.contains("images-idx") && java.nio.file.Files.isRegularFile(sibling);
        if (found) {
            LOG.info("labels of {}: {}", name, sibling.getFileName());
        }
        out.put(LABELS, found ? sibling.toString() : "");
        return out;
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> out = new ArrayList<>();
        out.add(OptionSpec.requiredText(IMAGES, "IDX image file(s), comma-separated, relative to the recipe's directory"));
        out.add(OptionSpec.text(LABELS, "", "IDX label file(s), one per image file, comma-separated; empty = unlabeled"));
        out.addAll(ImageSettings.OPTIONS);
        return List.copyOf(out);
    }

    /** One image file's header and how many complete images it holds. */
    private record ImageFile(Path path, int declared, int complete, int height, int width, int channels, int headerBytes) {
    }

    @Override
    public Dataset open(Options options, Path baseDirectory) {
        ImageSettings settings = ImageSettings.from(options);
        List<Path> imageFiles = paths(options.getString(IMAGES), baseDirectory);
        List<Path> labelFiles = paths(options.getString(LABELS), baseDirectory);
        if (imageFiles.isEmpty()) {
            throw new InvalidOptionException(options.key(IMAGES), "names no file");
        }
        if (!labelFiles.isEmpty() && labelFiles.size() != imageFiles.size()) {
            throw new InvalidOptionException(options.key(LABELS), "needs one label file per image file: " + imageFiles.size()
                    + " image file(s), " + labelFiles.size() + " label file(s)");
        }
        MessageDigest digest = SourceFiles.sha256();
        List<ImageFile> files = new ArrayList<>();
        List<byte[]> labels = new ArrayList<>();
        for (int f = 0; f < imageFiles.size(); f++) {
            ImageFile file = scan(imageFiles.get(f), digest, settings.skipBadImages());
            if (!files.isEmpty()) {
                ImageFile first = files.get(0);
                if (file.height() != first.height() || file.width() != first.width() || file.channels() != first.channels()) {
                    throw new DataFormatException(file.path(), 0, null, "holds " + file.height() + "x" + file.width() + "x" + file.channels()
                            + " images, but " + first.path().getFileName() + " holds " + first.height() + "x" + first.width() + "x"
                            + first.channels());
                }
            }
            files.add(file);
            if (!labelFiles.isEmpty()) {
                labels.add(readLabels(labelFiles.get(f), file, digest));
            }
        }
        int total = files.stream().mapToInt(ImageFile::complete).sum();
        if (total == 0) {
            throw new DataFormatException(files.get(0).path(), 0, null, "holds no images");
        }
        // IDX labels are class indices: classes are 0..max, named by their number.
        List<String> classNames = new ArrayList<>();
        int maxLabel = -1;
        for (byte[] l : labels) {
            for (byte b : l) {
                maxLabel = Math.max(maxLabel, b & 0xff);
            }
        }
        for (int v = 0; v <= maxLabel; v++) {
            classNames.add(String.valueOf(v));
        }
        ImageFile first = files.get(0);
        int[] target = settings.target(first.height(), first.width(), first.channels());
        Selection selection = Selection.of(total, settings.limit(), settings.limitSeed());
        String name = files.size() == 1 ? first.path().getFileName().toString()
                : String.join("+", files.stream().map(f -> f.path().getFileName().toString()).toList());
        DatasetInfo info = new DatasetInfo(name, Modality.IMAGE, Shape.of(target), OptionalLong.of(selection.count()), classNames,
                Optional.empty(), SourceFiles.fingerprint(digest.digest()));
        LOG.debug("idx: {} images of {}x{}x{} in {} file(s), {} kept, classes {}", total, first.height(), first.width(), first.channels(),
                files.size(), selection.count(), classNames);
        return new ImageDataset(info, () -> new Pass(files, labels, selection, settings, target));
    }

    private static List<Path> paths(String list, Path base) {
        List<Path> out = new ArrayList<>();
        for (String p : list.split(",")) {
            if (!p.isBlank()) {
                out.add(SourceFiles.existing(base.resolve(p.trim())));
            }
        }
        return out;
    }

    private static ImageFile scan(Path path, MessageDigest digest, boolean skipBad) {
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

    private static ImageFile scan(Path path, DataInputStream in, boolean skipBad) throws IOException {
        int magic = readHeaderInt(path, in, "magic number");
        int dims;
        if (magic == IMAGE_MAGIC_3D) {
            dims = 3;
        } else if (magic == IMAGE_MAGIC_4D) {
            dims = 4;
        } else if (magic == LABEL_MAGIC) {
            throw new DataFormatException(path, 0, null, "is an IDX label file (magic 0x00000801); give it as data.labels, and the "
                    + "image file as data.images");
        } else {
            throw new DataFormatException(path, 0, null, String.format("is not an IDX image file of unsigned bytes: magic 0x%08x, "
                    + "expected 0x00000803 (N x H x W) or 0x00000804 (N x H x W x C)", magic));
        }
        int n = readHeaderInt(path, in, "image count");
        int h = readHeaderInt(path, in, "rows");
        int w = readHeaderInt(path, in, "columns");
        int c = dims == 4 ? readHeaderInt(path, in, "channels") : 1;
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
            LOG.warn("{}: {}; keeping the {} complete images", path, problem, complete);
        } else if (available > n * perImage) {
            LOG.warn("{}: {} bytes after the {} declared images are ignored", path, available - n * perImage, n);
        }
        return new ImageFile(path, n, (int) complete, h, w, c, 4 * (1 + dims));
    }

    private static byte[] readLabels(Path path, ImageFile images, MessageDigest digest) {
        try (InputStream raw = SourceFiles.open(path)) {
            SourceFiles.hash(digest, path);
            DataInputStream in = new DataInputStream(raw);
            int magic = readHeaderInt(path, in, "magic number");
            if (magic != LABEL_MAGIC) {
                throw new DataFormatException(path, 0, null, String.format("is not an IDX label file: magic 0x%08x, expected 0x00000801",
                        magic));
            }
            int n = readHeaderInt(path, in, "label count");
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

    private static int readHeaderInt(Path path, DataInputStream in, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new DataFormatException(path, 0, null, "truncated IDX header: the file ends before the " + what);
        }
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
            LOG.debug("compressed data ends early after {} bytes: {}", total, e.getMessage());
        }
        return total;
    }

    /** One streaming pass over every image file in order. */
    private static final class Pass implements Iterator<Example> {
        private final List<ImageFile> files;
        private final List<byte[]> labels;
        private final Selection selection;
        private final ImageSettings settings;
        private final int[] target;
        private int fileIndex = -1;
        private int inFile;
        private int global;
        private DataInputStream in;
        private byte[] buffer;
        private Example next;

        Pass(List<ImageFile> files, List<byte[]> labels, Selection selection, ImageSettings settings, int[] target) {
            this.files = files;
            this.labels = labels;
            this.selection = selection;
            this.settings = settings;
            this.target = target;
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                next = advance();
            }
            return next != null;
        }

        @Override
        public Example next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Example e = next;
            next = null;
            return e;
        }

        private Example advance() {
            try {
                while (true) {
                    if (in == null || inFile >= files.get(fileIndex).complete()) {
                        closeCurrent();
                        if (++fileIndex >= files.size()) {
                            return null;
                        }
                        ImageFile f = files.get(fileIndex);
                        in = new DataInputStream(SourceFiles.open(f.path()));
                        in.skipNBytes(f.headerBytes());
                        buffer = new byte[f.height() * f.width() * f.channels()];
                        inFile = 0;
                    }
                    ImageFile f = files.get(fileIndex);
                    int index = global++;
                    int local = inFile++;
                    if (!selection.keeps(index)) {
                        in.skipNBytes(buffer.length);
                        continue;
                    }
                    in.readFully(buffer);
                    float[] pixels = new float[buffer.length];
                    for (int i = 0; i < buffer.length; i++) {
                        pixels[i] = (buffer[i] & 0xff) / 255f;
                    }
                    pixels = settings.convert(pixels, f.height(), f.width(), f.channels(), target);
                    int label = labels.isEmpty() ? Example.NO_LABEL : labels.get(fileIndex)[local] & 0xff;
                    return new Example.Image(target[0], target[1], target[2], pixels, label);
                }
            } catch (IOException e) {
                closeCurrent();
                Path p = files.get(Math.max(0, Math.min(fileIndex, files.size() - 1))).path();
                throw new DataFormatException(p, "cannot read (did the file change since it was opened?): " + e.getMessage(), e);
            }
        }

        private void closeCurrent() {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    in = null;
                }
            }
        }
    }

    /**
     * Convenience for code that reads IDX files without a recipe (tests, benchmarks).
     *
     * @param images the image file(s), comma-separated
     * @param options further options by name
     * @return the opened data set
     */
    public Dataset open(String images, Map<String, ?> options) {
        Map<String, Object> raw = new java.util.LinkedHashMap<>(options);
        raw.put(IMAGES, images);
        return open(Options.resolve(id(), options(), raw), Path.of(""));
    }
}

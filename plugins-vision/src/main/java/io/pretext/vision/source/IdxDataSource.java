package io.pretext.vision.source;

import io.pretext.api.DataSource;
import io.pretext.api.PretextApi;
import io.pretext.api.data.Dataset;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Modality;
import io.pretext.api.error.DataFormatException;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** The source's one logger: header and truncation warnings carry the name users know. */
    static final Logger LOG = LoggerFactory.getLogger(IdxDataSource.class);

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
        Optional<Path> sibling = IdxLabelFile.siblingOf(file);
        sibling.ifPresent(s -> LOG.info("labels of {}: {}", file.getFileName(), s.getFileName()));
        out.put(LABELS, sibling.map(Path::toString).orElse(""));
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
        List<IdxImageFile> files = new ArrayList<>();
        List<byte[]> labels = new ArrayList<>();
        for (int f = 0; f < imageFiles.size(); f++) {
            IdxImageFile file = IdxImageFile.scan(imageFiles.get(f), digest, settings.skipBadImages());
            if (!files.isEmpty()) {
                IdxImageFile first = files.get(0);
                if (file.height() != first.height() || file.width() != first.width() || file.channels() != first.channels()) {
                    throw new DataFormatException(file.path(), 0, null, "holds " + file.height() + "x" + file.width() + "x" + file.channels()
                            + " images, but " + first.path().getFileName() + " holds " + first.height() + "x" + first.width() + "x"
                            + first.channels());
                }
            }
            files.add(file);
            if (!labelFiles.isEmpty()) {
                labels.add(IdxLabelFile.read(labelFiles.get(f), file, digest));
            }
        }
        int total = files.stream().mapToInt(IdxImageFile::complete).sum();
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
        IdxImageFile first = files.get(0);
        int[] target = settings.target(first.height(), first.width(), first.channels());
        Selection selection = Selection.of(total, settings.limit(), settings.limitSeed());
        String name = files.size() == 1 ? first.path().getFileName().toString()
                : String.join("+", files.stream().map(f -> f.path().getFileName().toString()).toList());
        DatasetInfo info = new DatasetInfo(name, Modality.IMAGE, Shape.of(target), OptionalLong.of(selection.count()), classNames,
                Optional.empty(), SourceFiles.fingerprint(digest.digest()));
        LOG.debug("idx: {} images of {}x{}x{} in {} file(s), {} kept, classes {}", total, first.height(), first.width(), first.channels(),
                files.size(), selection.count(), classNames);
        return new ImageDataset(info, () -> new IdxPass(files, labels, selection, settings, target));
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

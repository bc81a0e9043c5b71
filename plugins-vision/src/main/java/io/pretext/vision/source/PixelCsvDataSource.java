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
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code pixel-csv} data source: one image per line, its pixel values in row-major HWC order
 * followed (or preceded) by the label, comma-separated, gzip-compressed or not. The defaults read
 * the 8x8 handwritten digits of scikit-learn / UCI ({@code data/vision/digits.csv.gz}: 64 grey
 * levels 0..16, label last); {@code image-shape: [28, 28], max-value: 255, label: first} reads the
 * common MNIST CSV. A first line that does not start with a number is a header and is skipped.
 * The file is held in memory.
 */
public final class PixelCsvDataSource implements DataSource {
    /** Option: the file. */
    public static final String PATH = "path";
    /** Option: stored image shape. */
    public static final String IMAGE_SHAPE = "image-shape";
    /** Option: the value meaning full intensity. */
    public static final String MAX_VALUE = "max-value";
    /** Option: where the label is. */
    public static final String LABEL = "label";

    private static final Logger LOG = LoggerFactory.getLogger(PixelCsvDataSource.class);

    @Override
    public String id() {
        return "pixel-csv";
    }

    @Override
    public String description() {
        return "Images stored as CSV rows of pixel values plus a label (default: the 8x8 digits, grey levels 0..16, label last)";
    }

    @Override
    public int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public Modality modality() {
        return Modality.IMAGE;
    }

    /** The new file whole, in the stored layout, at the trained size and channels. */
    @Override
    public Map<String, Object> readInstead(Path file, Options trained, Shape encoderInput) {
        Map<String, Object> out = new LinkedHashMap<>(ImageSettings.readLike(encoderInput));
        out.put(PATH, file.toString());
        return out;
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> out = new ArrayList<>();
        out.add(OptionSpec.requiredText(PATH, "the CSV file (gzip or not), relative to the recipe's directory"));
        out.add(OptionSpec.integers(IMAGE_SHAPE, List.of(8L, 8L), "stored shape of each row's image: [height, width] or "
                + "[height, width, channels] (1 or 3 channels); pixels in row-major HWC order").length(2, 3).atLeast(1));
        out.add(OptionSpec.decimal(MAX_VALUE, 16.0, "the stored value of full intensity (16 for the digits, 255 for bytes); "
                + "pixels are divided by it").greaterThan(0));
        out.add(OptionSpec.choice(LABEL, "last", "where each line's label is", "last", "first", "none"));
        out.addAll(ImageSettings.OPTIONS);
        return List.copyOf(out);
    }

    @Override
    public Dataset open(Options options, Path baseDirectory) {
        ImageSettings settings = ImageSettings.from(options);
        int[] shape = options.getInts(IMAGE_SHAPE);
        if (shape.length == 3 && shape[2] != 1 && shape[2] != 3) {
            throw new InvalidOptionException(options.key(IMAGE_SHAPE), shape[2] + " channels; an image has 1 (grey) or 3 (rgb)");
        }
        int h = shape[0];
        int w = shape[1];
        int c = shape.length == 3 ? shape[2] : 1;
        double max = options.getDouble(MAX_VALUE);
        String labelAt = options.getString(LABEL);
        Path file = SourceFiles.existing(baseDirectory.resolve(options.getString(PATH)));
        int pixels = h * w * c;
        int fields = pixels + (labelAt.equals("none") ? 0 : 1);
        int pixelOffset = labelAt.equals("first") ? 1 : 0;
        int labelIndex = labelAt.equals("first") ? 0 : labelAt.equals("last") ? pixels : -1;

        List<float[]> images = new ArrayList<>();
        List<String> rawLabels = new ArrayList<>();
        long skipped = 0;
        MessageDigest digest = SourceFiles.sha256();
        try {
            SourceFiles.hash(digest, file);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(SourceFiles.open(file), StandardCharsets.UTF_8))) {
                String line;
                long lineNumber = 0;
                while ((line = in.readLine()) != null) {
                    lineNumber++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        String[] parts = line.split(",", -1);
                        if (parts.length != fields) {
                            throw new DataFormatException(file, lineNumber, null, "has " + parts.length + " fields, expected " + fields + " ("
                                    + h + "x" + w + "x" + c + " pixels" + (labelIndex >= 0 ? " and a label " + labelAt : "") + ")");
                        }
                        float[] image = new float[pixels];
                        for (int i = 0; i < pixels; i++) {
                            image[i] = (float) (parse(file, lineNumber, i + pixelOffset, parts[i + pixelOffset], max) / max);
                        }
                        images.add(image);
                        if (labelIndex >= 0) {
                            String label = parts[labelIndex].trim();
                            if (label.isEmpty()) {
                                throw new DataFormatException(file, lineNumber, String.valueOf(labelIndex + 1), "empty label");
                            }
                            rawLabels.add(canonical(label));
                        }
                    } catch (DataFormatException e) {
                        if (lineNumber == 1 && !line.isEmpty() && !Character.isDigit(line.strip().charAt(0)) && line.contains(",")) {
                            LOG.debug("{}: line 1 is a header: {}", file, line.length() > 60 ? line.substring(0, 60) + "..." : line);
                            continue; // a header line (e.g. "label,pixel0,pixel1,..."), not an image
                        }
                        if (!settings.skipBadImages()) {
                            throw e;
                        }
                        skipped++;
                        LOG.warn("skipped: {}", e.getMessage());
                    }
                }
            }
        } catch (java.io.EOFException e) {
            // a gzip file cut short: its complete lines are kept when bad input is skipped, as a plain file cut short
            String problem = "truncated: the compressed data ends early (" + e.getMessage() + ") after " + images.size() + " images";
            if (!settings.skipBadImages()) {
                throw new DataFormatException(file, 0, null, problem + " (set data.on-bad-image: skip to keep them)");
            }
            LOG.warn("{}: {}; keeping them", file, problem);
        } catch (IOException e) {
            throw new DataFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        if (images.isEmpty()) {
            throw new DataFormatException(file, 0, null, "holds no images" + (skipped > 0 ? " (" + skipped + " bad lines skipped)" : ""));
        }
        List<String> classNames = classNames(rawLabels);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            index.put(classNames.get(i), i);
        }
        Selection selection = Selection.of(images.size(), settings.limit(), settings.limitSeed());
        int[] target = settings.target(h, w, c);
        List<Example> examples = new ArrayList<>(selection.count());
        for (int i = 0; i < images.size(); i++) {
            if (selection.keeps(i)) {
                int label = rawLabels.isEmpty() ? Example.NO_LABEL : index.get(rawLabels.get(i));
                examples.add(new Example.Image(target[0], target[1], target[2], settings.convert(images.get(i), h, w, c, target), label));
            }
        }
        List<Example> held = List.copyOf(examples);
        DatasetInfo info = new DatasetInfo(file.getFileName().toString(), Modality.IMAGE, Shape.of(target), OptionalLong.of(held.size()),
                classNames, Optional.empty(), SourceFiles.fingerprint(digest.digest()));
        return new ImageDataset(info, held::iterator);
    }

    private static double parse(Path file, long line, int column, String text, double max) {
        try {
            double v = Double.parseDouble(text.trim());
            if (!Double.isFinite(v) || v < 0) {
                throw new DataFormatException(file, line, String.valueOf(column + 1), "pixel value '" + text.trim()
                        + "' is not a finite number >= 0");
            }
            if (v > max) {
                // e.g. 0..255 pixels read with the digits' max-value 16 would silently become intensities up to 16
                throw new DataFormatException(file, line, String.valueOf(column + 1), "pixel value " + text.trim()
                        + " is above data.max-value " + (max == Math.rint(max) ? String.valueOf((long) max) : String.valueOf(max))
                        + " (full intensity); set max-value to the file's scale, e.g. 255 for bytes");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new DataFormatException(file, line, String.valueOf(column + 1), "pixel value '" + text.trim() + "' is not a number");
        }
    }

    /** Labels written as 3 and 3.0 are one class. */
    private static String canonical(String label) {
        try {
            double d = Double.parseDouble(label);
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return String.valueOf((long) d);
            }
        } catch (NumberFormatException e) {
            // a word label: kept as written
        }
        return label;
    }

    /** Numeric labels in numeric order, then words in alphabetical order. */
    private static List<String> classNames(List<String> labels) {
        TreeSet<Long> numbers = new TreeSet<>();
        TreeSet<String> words = new TreeSet<>();
        for (String l : labels) {
            try {
                numbers.add(Long.parseLong(l));
            } catch (NumberFormatException e) {
                words.add(l);
            }
        }
        List<String> out = new ArrayList<>();
        numbers.forEach(n -> out.add(String.valueOf(n)));
        out.addAll(words);
        return out;
    }

    /**
     * Convenience for code that reads a pixel CSV without a recipe (tests, benchmarks).
     *
     * @param file the CSV file
     * @param options further options by name
     * @return the opened data set
     */
    public Dataset open(Path file, Map<String, ?> options) {
        Map<String, Object> raw = new LinkedHashMap<>(options);
        raw.put(PATH, file.toString());
        return open(Options.resolve(id(), options(), raw), Path.of(""));
    }
}

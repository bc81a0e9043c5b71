package io.pretext.vision.source;

import io.pretext.api.DataSource;
import io.pretext.api.PretextApi;
import io.pretext.api.data.Dataset;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.data.Modality;
import io.pretext.api.error.DataFormatException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import io.pretext.vision.image.ImageFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code image-folder} data source: every PNG, JPEG, BMP or GIF file under a folder (hidden
 * files and other extensions ignored), in sorted path order. With labels, each top-level
 * sub-folder is a class (its name the class name, classes in sorted order) and images may sit at
 * any depth below it. Opening lists and fingerprints the files and decodes the first to learn the
 * stored size; each pass decodes the images again, one at a time.
 */
public final class ImageFolderDataSource implements DataSource {
    /** Option: the folder. */
    public static final String PATH = "path";
    /** Option: how labels are found. */
    public static final String LABELS = "labels";

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderDataSource.class);

    @Override
    public String id() {
        return "image-folder";
    }

    @Override
    public String description() {
        return "A folder of PNG/JPEG/BMP/GIF images; class = top-level sub-folder name";
    }

    @Override
    public int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public Modality modality() {
        return Modality.IMAGE;
    }

    /** The new folder whole, at the trained size and channels, labelled by its sub-folders when it has them. */
    @Override
    public Map<String, Object> readInstead(Path file, Options trained, Shape encoderInput) {
        Map<String, Object> out = new LinkedHashMap<>(ImageSettings.readLike(encoderInput));
        out.put(PATH, file.toString());
        out.put(LABELS, "auto");
        return out;
    }

    @Override
    public List<OptionSpec> options() {
        List<OptionSpec> out = new ArrayList<>();
        out.add(OptionSpec.requiredText(PATH, "the folder, relative to the recipe's directory"));
        out.add(OptionSpec.choice(LABELS, "auto", "folders: each top-level sub-folder is a class; none: unlabeled; auto: folders when "
                + "every image sits in a sub-folder, else none", "auto", "folders", "none"));
        out.addAll(ImageSettings.OPTIONS);
        return List.copyOf(out);
    }

    /** An image file and its class index (or {@link Example#NO_LABEL}). */
    private record Entry(Path file, int label) {
    }

    @Override
    public Dataset open(Options options, Path baseDirectory) {
        ImageSettings settings = ImageSettings.from(options);
        Path root = SourceFiles.existing(baseDirectory.resolve(options.getString(PATH)));
        if (!Files.isDirectory(root)) {
            throw new DataFormatException(root, 0, null, "is not a folder (the image-folder source reads a folder of images)");
        }
        List<Path> files = list(root);
        if (files.isEmpty()) {
            throw new DataFormatException(root, 0, null, "holds no image files (" + String.join(", ", ImageFiles.EXTENSIONS.stream().sorted()
                    .toList()) + ")");
        }
        String labels = options.getString(LABELS);
        boolean allInFolders = files.stream().allMatch(f -> root.relativize(f).getNameCount() > 1);
        boolean labeled = labels.equals("folders") || (labels.equals("auto") && allInFolders);
        long loose = files.stream().filter(f -> root.relativize(f).getNameCount() == 1).count();
        if (labels.equals("auto") && loose > 0 && loose < files.size()) {
            LOG.warn("{}: {} of {} images sit directly in the folder, not in a class sub-folder, so it is read unlabeled "
                    + "(data.labels: auto); move them into class folders, or set data.labels: none to say unlabeled is meant",
                    root, loose, files.size());
        }
        TreeMap<String, Integer> classes = new TreeMap<>();
        if (labeled) {
            for (Path f : files) {
                Path rel = root.relativize(f);
                if (rel.getNameCount() < 2) {
                    throw new DataFormatException(f, 0, null, "is not inside a class sub-folder of " + root + " (data.labels: folders "
                            + "needs every image in one; set data.labels: none to read unlabeled)");
                }
                classes.put(rel.getName(0).toString(), 0);
            }
            int i = 0;
            for (Map.Entry<String, Integer> e : classes.entrySet()) {
                e.setValue(i++);
            }
        }
        List<Entry> entries = new ArrayList<>(files.size());
        MessageDigest digest = SourceFiles.sha256();
        for (Path f : files) {
            String rel = root.relativize(f).toString().replace('\\', '/');
            digest.update(rel.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            try {
                SourceFiles.hash(digest, f);
            } catch (IOException e) {
                throw new DataFormatException(f, "cannot read: " + e.getMessage(), e);
            }
            entries.add(new Entry(f, labeled ? classes.get(root.relativize(f).getName(0).toString()) : Example.NO_LABEL));
        }
        Selection selection = Selection.of(entries.size(), settings.limit(), settings.limitSeed());
        List<Entry> kept = new ArrayList<>(selection.count());
        for (int i = 0; i < entries.size(); i++) {
            if (selection.keeps(i)) {
                kept.add(entries.get(i));
            }
        }
        int[] target = settings.height() > 0 && settings.channels() > 0 ? settings.target(0, 0, 0) : storedShape(kept, settings);
        DatasetInfo info = new DatasetInfo(root.getFileName().toString(), Modality.IMAGE, Shape.of(target),
                settings.skipBadImages() ? OptionalLong.empty() : OptionalLong.of(kept.size()), List.copyOf(classes.keySet()), Optional.empty(),
                SourceFiles.fingerprint(digest.digest()));
        LOG.debug("image-folder {}: {} images, {} kept, classes {}, examples {}", root, entries.size(), kept.size(), classes.keySet(),
                info.exampleShape());
        return new ImageDataset(info, () -> new Pass(root, List.copyOf(kept), settings, target));
    }

    /** The target shape, taking what the recipe leaves open from the first image that decodes. */
    private static int[] storedShape(List<Entry> entries, ImageSettings settings) {
        for (Entry e : entries) {
            try {
                ImageFiles.Decoded d = ImageFiles.read(e.file());
                return settings.target(d.height(), d.width(), d.channels());
            } catch (IOException ex) {
                if (!settings.skipBadImages()) {
                    throw new DataFormatException(e.file(), "cannot decode: " + ex.getMessage(), ex);
                }
                LOG.warn("{}: skipped, cannot decode: {}", e.file(), ex.getMessage());
            }
        }
        throw new DataFormatException(entries.get(0).file().getParent(), 0, null, "no image in the folder could be decoded");
    }

    private static List<Path> list(Path root) {
        // symbolic links are followed: a class folder or the folder itself may be a link (a loop is an error)
        try (Stream<Path> walk = Files.walk(root, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            List<Path> visible = walk.filter(Files::isRegularFile).filter(p -> !hidden(root, p)).sorted().toList();
            List<Path> images = visible.stream().filter(ImageFiles::isImage).toList();
            if (images.size() < visible.size()) {
                List<String> others = visible.stream().filter(p -> !ImageFiles.isImage(p)).map(p -> root.relativize(p).toString())
                        .limit(5).toList();
                LOG.info("{}: {} files that are not {} images are left out, e.g. {}", root, visible.size() - images.size(),
                        String.join("/", ImageFiles.EXTENSIONS.stream().sorted().toList()), others);
            }
            java.util.Set<Path> withImages = new java.util.HashSet<>();
            images.forEach(f -> withImages.add(root.relativize(f).getName(0)));
            try (Stream<Path> top = Files.list(root)) {
                for (Path sub : top.filter(Files::isDirectory).filter(d -> !hidden(root, d)).sorted().toList()) {
                    if (!withImages.contains(sub.getFileName())) {
                        LOG.warn("{}: sub-folder '{}' holds no images; it is not a class", root, sub.getFileName());
                    }
                }
            }
            return images;
        } catch (IOException e) {
            throw new DataFormatException(root, "cannot list: " + e.getMessage(), e);
        } catch (java.io.UncheckedIOException e) {
            throw new DataFormatException(root, "cannot list: " + e.getCause(), e.getCause());
        }
    }

    private static boolean hidden(Path root, Path file) {
        for (Path part : root.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** One pass: decodes each kept image, skipping or failing on a bad one as the settings say. */
    private static final class Pass implements Iterator<Example> {
        private final List<Entry> entries;
        private final ImageSettings settings;
        private final int[] target;
        private int position;
        private final Path root;
        private int skipped;
        private boolean counted;
        private boolean warnedMixed;
        private Example next;

        Pass(Path root, List<Entry> entries, ImageSettings settings, int[] target) {
            this.root = root;
            this.entries = entries;
            this.settings = settings;
            this.target = target;
        }

        @Override
        public boolean hasNext() {
            while (next == null && position < entries.size()) {
                Entry e = entries.get(position++);
                try {
                    ImageFiles.Decoded d = ImageFiles.read(e.file());
                    if (!warnedMixed && ((settings.height() == 0 && (d.height() != target[0] || d.width() != target[1]))
                            || (settings.channels() == 0 && d.channels() != target[2]))) {
                        warnedMixed = true; // once per pass: the first such file names the problem
                        LOG.warn("{}: {}x{}x{} where the first image set {}x{}x{} ('as stored'); images are brought to the first "
                                + "one's shape ({}): set data.height, data.width and data.channels to choose it", e.file(), d.height(),
                                d.width(), d.channels(), target[0], target[1], target[2], settings.fit().name().toLowerCase(java.util.Locale.ROOT));
                    }
                    float[] pixels = settings.convert(d.pixels(), d.height(), d.width(), d.channels(), target);
                    next = new Example.Image(target[0], target[1], target[2], pixels, e.label());
                } catch (IOException ex) {
                    if (!settings.skipBadImages()) {
                        throw new DataFormatException(e.file(), "cannot decode: " + ex.getMessage()
                                + " (set data.on-bad-image: skip to leave such files out)", ex);
                    }
                    LOG.warn("{}: skipped, cannot decode: {}", e.file(), ex.getMessage());
                    skipped++;
                }
            }
            if (next == null && skipped > 0 && !counted) {
                counted = true; // the pass is over: one line with the count
                LOG.warn("{}: skipped {} of {} images that could not be decoded (data.on-bad-image: skip)", root, skipped, entries.size());
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
    }

    /**
     * Convenience for code that reads a folder without a recipe (tests, benchmarks).
     *
     * @param folder the folder
     * @param options further options by name
     * @return the opened data set
     */
    public Dataset open(Path folder, Map<String, ?> options) {
        Map<String, Object> raw = new LinkedHashMap<>(options);
        raw.put(PATH, folder.toString());
        return open(Options.resolve(id(), options(), raw), Path.of(""));
    }
}

package io.pretext.vision.augment;

import io.pretext.api.Augmentation;
import io.pretext.api.ComponentRegistry;
import io.pretext.api.Transform;
import io.pretext.api.data.Example;
import io.pretext.api.data.Modality;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.option.Options;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A sequence of augmentations that makes one view of an image, as SimCLR composes them
 * ({@code random-resized-crop, horizontal-flip, color-jitter, grayscale, gaussian-blur}). Written
 * in a recipe as text, each augmentation by its registry id with optional options in parentheses:
 *
 * <pre>random-affine(degrees=15, translate=0.125, min-scale=0.75), gaussian-noise(sigma=0.1)</pre>
 *
 * Any {@link Augmentation} provider of the image modality may appear, including a third-party
 * one; this plugin's own run in place on a per-thread {@link Canvas}, others through their
 * {@link Transform} (and must keep the image's shape). Thread-safe.
 */
public final class ViewPipeline {
    private static final ThreadLocal<Canvas> CANVAS = ThreadLocal.withInitial(Canvas::new);

    private final List<String> ids;
    private final List<Transform> steps;

    private ViewPipeline(List<String> ids, List<Transform> steps) {
        this.ids = List.copyOf(ids);
        this.steps = List.copyOf(steps);
    }

    /**
     * @param ids augmentation ids, for messages
     * @param steps the transforms in order
     * @return a pipeline of exactly these transforms
     */
    public static ViewPipeline of(List<String> ids, List<Transform> steps) {
        if (ids.size() != steps.size()) {
            throw new IllegalArgumentException("one id per step");
        }
        return new ViewPipeline(ids, steps);
    }

    /**
     * @param spec the recipe text, e.g. {@code horizontal-flip, gaussian-noise(sigma=0.05)}; blank = no augmentation
     * @param registry where augmentations are found by id
     * @param optionKey the recipe key holding the text, for messages (e.g. {@code task.augmentations})
     * @return the configured pipeline
     * @throws InvalidOptionException for malformed text, an augmentation of another modality or a bad option
     */
    public static ViewPipeline parse(String spec, ComponentRegistry registry, String optionKey) {
        List<String> ids = new ArrayList<>();
        List<Transform> steps = new ArrayList<>();
        for (Item item : items(spec, optionKey)) {
            Augmentation provider = registry.get(Augmentation.class, item.id());
            if (provider.modality() != Modality.IMAGE) {
                throw new InvalidOptionException(optionKey, "augmentation '" + item.id() + "' is for " + provider.modality()
                        + ", not images");
            }
            Options options = Options.resolve(optionKey + "." + item.id(), provider.options(), item.options());
            ids.add(item.id());
            try {
                steps.add(provider.create(options));
            } catch (InvalidOptionException e) {
                // an augmentation names its options in its own scope ('cutout.size'); the user wrote them under optionKey
                String prefix = "option '" + e.key() + "': ";
                String detail = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
                String key = e.key().startsWith(optionKey + ".") ? e.key() : optionKey + "." + e.key();
                throw new InvalidOptionException(key, detail);
            }
        }
        return new ViewPipeline(ids, steps);
    }

    /** An augmentation as written: its id and its option values as text. */
    record Item(String id, Map<String, String> options) {
    }

    /**
     * @param spec pipeline text
     * @param optionKey recipe key, for messages
     * @return the items, in order
     */
    static List<Item> items(String spec, String optionKey) {
        List<Item> out = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (int i = 0; i <= spec.length(); i++) {
            char ch = i < spec.length() ? spec.charAt(i) : ',';
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
                if (depth < 0) {
                    throw new InvalidOptionException(optionKey, "unbalanced ')' at character " + (i + 1) + " of '" + spec + "'");
                }
            }
            if (ch == ',' && depth == 0) {
                String text = current.toString().trim();
                if (!text.isEmpty()) {
                    out.add(item(text, spec, optionKey));
                } else if (i < spec.length()) {
                    throw new InvalidOptionException(optionKey, "empty augmentation at character " + (i + 1) + " of '" + spec + "'");
                }
                current.setLength(0);
            } else {
                current.append(ch);
            }
        }
        if (depth != 0) {
            throw new InvalidOptionException(optionKey, "unbalanced '(' in '" + spec + "'");
        }
        return out;
    }

    private static Item item(String text, String spec, String optionKey) {
        int open = text.indexOf('(');
        String id = (open < 0 ? text : text.substring(0, open)).trim();
        if (!id.matches("[a-z][a-z0-9-]*")) {
            throw new InvalidOptionException(optionKey, "'" + id + "' is not an augmentation id (lower-kebab-case) in '" + spec + "'");
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (open >= 0) {
            if (!text.endsWith(")")) {
                throw new InvalidOptionException(optionKey, "text after ')' in '" + text + "'");
            }
            String body = text.substring(open + 1, text.length() - 1).trim();
            if (!body.isEmpty()) {
                for (String pair : body.split(",")) {
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new InvalidOptionException(optionKey, "'" + pair.trim() + "' in '" + text + "' is not key=value");
                    }
                    String key = pair.substring(0, eq).trim();
                    if (options.put(key, pair.substring(eq + 1).trim()) != null) {
                        throw new InvalidOptionException(optionKey, "'" + key + "' given twice in '" + text + "'");
                    }
                }
            }
        }
        return new Item(id, options);
    }

    /** @return the augmentation ids in order */
    public List<String> ids() {
        return ids;
    }

    /** @return true when the pipeline changes nothing */
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /**
     * Makes one view of an image and writes it into {@code target} (HWC, at {@code offset}),
     * without allocating when every step is one of this plugin's augmentations.
     *
     * @param image the source image, never changed
     * @param target where the view is written, e.g. a batch tensor's data
     * @param offset index of the view's first value in {@code target}
     * @param random the stream to draw from
     */
    public void render(Example.Image image, float[] target, int offset, SplittableRandom random) {
        if (steps.isEmpty()) {
            System.arraycopy(image.pixels(), 0, target, offset, image.pixels().length);
            return;
        }
        Canvas canvas = CANVAS.get().load(image);
        run(canvas, image.label(), random);
        canvas.copyTo(target, offset);
    }

    /**
     * @param image the source image, never changed
     * @param random the stream to draw from
     * @return a new image holding the view
     */
    public Example.Image apply(Example.Image image, SplittableRandom random) {
        Canvas canvas = new Canvas().load(image);
        run(canvas, image.label(), random);
        return canvas.toImage(image.label());
    }

    private void run(Canvas canvas, int label, SplittableRandom random) {
        for (int s = 0; s < steps.size(); s++) {
            Transform t = steps.get(s);
            if (t instanceof ImageTransform own) {
                own.applyTo(canvas, random);
                continue;
            }
            Example out = t.apply(canvas.toImage(label), random);
            if (!(out instanceof Example.Image img) || img.height() != canvas.height() || img.width() != canvas.width()
                    || img.channels() != canvas.channels()) {
                throw new ShapeException("augmentation " + ids.get(s), "must return an image of the shape it was given ["
                        + canvas.height() + ", " + canvas.width() + ", " + canvas.channels() + "], returned " + describe(out));
            }
            canvas.load(img);
        }
    }

    private static String describe(Example e) {
        return e instanceof Example.Image i ? "[" + i.height() + ", " + i.width() + ", " + i.channels() + "]" : e.modality().toString();
    }

    @Override
    public String toString() {
        return ids.isEmpty() ? "(none)" : String.join(", ", ids);
    }
}

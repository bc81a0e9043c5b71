package io.pretext.vision.augment;

import io.pretext.api.Augmentation;
import io.pretext.api.ComponentRegistry;
import io.pretext.api.Transform;
import io.pretext.api.data.Example;
import io.pretext.api.data.Modality;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.option.ComponentValue;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A sequence of augmentations that makes one view of an image, as SimCLR composes them
 * ({@code random-resized-crop, horizontal-flip, color-jitter, grayscale, gaussian-blur}). A task
 * declares it as a component-list option of {@link Augmentation}s, which a recipe writes as
 *
 * <pre>augmentations: [{id: random-affine, degrees: 15, min-scale: 0.75}, {id: gaussian-noise, sigma: 0.1}]</pre>
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
     * @param components the augmentations of a {@link io.pretext.api.option.OptionType#COMPONENT_LIST} option, in order
     * @param registry where the augmentations are found by id
     * @return the configured pipeline
     * @throws InvalidOptionException for an augmentation of another modality, or options its provider refuses
     */
    public static ViewPipeline of(List<ComponentValue> components, ComponentRegistry registry) {
        List<String> ids = new ArrayList<>();
        List<Transform> steps = new ArrayList<>();
        for (ComponentValue component : components) {
            Augmentation provider = registry.get(Augmentation.class, component.id());
            if (provider.modality() != Modality.IMAGE) {
                throw new InvalidOptionException(component.options().scope(), "augmentation '" + component.id() + "' is for "
                        + provider.modality() + ", not images");
            }
            ids.add(component.id());
            steps.add(provider.create(component.options()));
        }
        return new ViewPipeline(ids, steps);
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

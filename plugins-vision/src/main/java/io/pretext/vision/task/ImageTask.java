package io.pretext.vision.task;

import io.pretext.api.Augmentation;
import io.pretext.api.ComponentRegistry;
import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.PretextApi;
import io.pretext.api.PretextTask;
import io.pretext.api.TaskContext;
import io.pretext.api.data.Modality;
import io.pretext.api.error.PretextException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import io.pretext.vision.augment.ViewPipeline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the image tasks share: modality, API version, checks of the bound run, and heads made of the registry's {@code mlp}. */
abstract class ImageTask implements PretextTask {
    /** The encoder id heads are made of. */
    static final String MLP = "mlp";

    @Override
    public final Modality modality() {
        return Modality.IMAGE;
    }

    @Override
    public final int apiVersion() {
        return PretextApi.VERSION;
    }

    /** @return the options of this task that hold an augmentation pipeline */
    abstract List<String> pipelineOptions();

    /**
     * Builds every pipeline, so an augmentation of another modality, or options an augmentation
     * refuses together (a minimum above its maximum), are errors before any data is read.
     */
    @Override
    public final void check(Options options, ComponentRegistry registry) {
        for (String key : pipelineOptions()) {
            ViewPipeline.of(options.getComponents(key), registry);
        }
    }

    /**
     * @param name the option
     * @param defaultValue the default pipeline
     * @param description help
     * @return an option holding a pipeline of image augmentations
     */
    static OptionSpec pipeline(String name, List<Map<String, Object>> defaultValue, String description) {
        return OptionSpec.components(name, Augmentation.class, defaultValue, description);
    }

    /**
     * @param id an augmentation id
     * @param options its option values, as {@code key, value} pairs
     * @return the element of a default pipeline
     */
    static Map<String, Object> step(String id, Object... options) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        for (int k = 0; k < options.length; k += 2) {
            out.put((String) options[k], options[k + 1]);
        }
        return out;
    }

    /**
     * @param context the run
     * @return the per-example image shape [H, W, C]
     * @throws PretextException when the data are not images or the encoder was built for another shape
     */
    final int[] checkImages(TaskContext context) {
        if (context.data().modality() != Modality.IMAGE) {
            throw new PretextException("pretext task '" + id() + "' trains on images; data '" + context.data().name() + "' is "
                    + context.data().modality() + " (use an image source: image-folder, idx, pixel-csv)");
        }
        Shape shape = context.data().exampleShape();
        if (shape.rank() != 3) {
            throw new ShapeException(id(), "needs images [height, width, channels], data '" + context.data().name() + "' has " + shape);
        }
        if (!context.encoder().inputShape().equals(shape)) {
            throw new ShapeException(id(), "the encoder takes " + context.encoder().inputShape() + " but the images are " + shape);
        }
        return shape.dims();
    }

    /**
     * @param registry the run's registry
     * @param scope parameter-name prefix of the head
     * @param input per-example input shape
     * @param widths dense layer widths, the last the output size
     * @return an MLP head without activation after its last layer
     */
    static EncoderModel mlp(ComponentRegistry registry, String scope, Shape input, List<Long> widths) {
        Encoder mlp = registry.get(Encoder.class, MLP);
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("widths", widths);
        raw.put("final-activation", false);
        return mlp.create(Options.resolve(scope, mlp.options(), raw), input, scope);
    }

    /**
     * @param hidden hidden widths
     * @param output output width
     * @return hidden followed by output
     */
    static List<Long> withOutput(List<Long> hidden, int output) {
        List<Long> out = new ArrayList<>(hidden);
        out.add((long) output);
        return out;
    }
}

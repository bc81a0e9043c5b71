package io.pretext.vision.task;

import io.pretext.api.EncoderModel;
import io.pretext.api.LossFunction;
import io.pretext.api.LossInputs;
import io.pretext.api.LossKind;
import io.pretext.api.TaskContext;
import io.pretext.api.TaskModel;
import io.pretext.api.data.Example;
import io.pretext.api.model.Batch;
import io.pretext.api.model.LossOutput;
import io.pretext.api.model.Objective;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Tensor;
import io.pretext.vision.augment.ViewPipeline;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SimCLR (Chen et al. 2020): two views of every image, each made by its own random draw of an
 * augmentation pipeline; one shared encoder and a projection head (the registry's {@code mlp})
 * embed both; any pair loss pulls the two views of an image together and pushes the others apart
 * (NT-Xent as in the paper, or VICReg, Barlow Twins, InfoNCE). The head is dropped after training.
 *
 * <p>The pipeline is a list of augmentations ({@link ViewPipeline}): by default the paper's CIFAR
 * recipe ({@code random-resized-crop, horizontal-flip, color-jitter, grayscale}); the digits
 * reference uses {@code random-affine} and {@code gaussian-noise}. A second pipeline may be given for
 * the second view (BYOL's asymmetric views).
 */
public final class SimClrTask extends ImageTask {
    private static final Logger LOG = LoggerFactory.getLogger(SimClrTask.class);

    /** Option: augmentations of each view. */
    public static final String AUGMENTATIONS = "augmentations";
    /** Option: augmentations of the second view, when they differ. */
    public static final String SECOND_VIEW = "second-view-augmentations";
    /** Option: projection head widths. */
    public static final String HEAD_WIDTHS = "head-widths";

    /** Batch input: the first views. */
    public static final String VIEW1 = "view1";
    /** Batch input: the second views. */
    public static final String VIEW2 = "view2";

    /** SimCLR's CIFAR-10 augmentations. */
    static final List<Map<String, Object>> DEFAULT_AUGMENTATIONS = List.of(step("random-resized-crop"), step("horizontal-flip"),
            step("color-jitter"), step("grayscale"));

    @Override
    public String id() {
        return "simclr";
    }

    @Override
    public String description() {
        return "SimCLR: contrast two augmented views of each image through the encoder and a projection head";
    }

    @Override
    public LossKind lossKind() {
        return LossKind.PAIR;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                pipeline(AUGMENTATIONS, DEFAULT_AUGMENTATIONS, "augmentation pipeline of each view, e.g. "
                        + "[{id: random-affine, degrees: 15}, {id: gaussian-noise, sigma: 0.1}]"),
                pipeline(SECOND_VIEW, List.of(), "pipeline of the second view when it differs from the first; empty = the same"),
                OptionSpec.integers(HEAD_WIDTHS, List.of(128L, 64L), "projection head widths (mlp, ReLU between, none after the last); "
                        + "the last is what the loss compares").nonEmpty().atLeast(1));
    }

    @Override
    List<String> pipelineOptions() {
        return List.of(AUGMENTATIONS, SECOND_VIEW);
    }

    @Override
    public TaskModel bind(TaskContext context, Options options) {
        int[] image = checkImages(context);
        ViewPipeline first = ViewPipeline.of(options.getComponents(AUGMENTATIONS), context.registry());
        ViewPipeline second = ViewPipeline.of(options.getComponents(SECOND_VIEW), context.registry());
        ViewPipeline other = second.isEmpty() ? first : second;
        if (first.isEmpty() && second.isEmpty()) {
            // two identical views: the loss is minimized by telling images apart, nothing is invariant
            LOG.warn("simclr without augmentations contrasts two identical views of each image; set {} (pretext plugins simclr "
                    + "shows the default)", options.key(AUGMENTATIONS));
        }
        EncoderModel head = mlp(context.registry(), "head", context.encoder().outputShape(), options.getLongs(HEAD_WIDTHS));
        return new Model(context.encoder(), image, head, context.loss(), first, other);
    }

    /** SimCLR bound to a run. */
    static final class Model extends ImageTaskModel {
        private final EncoderModel head;
        private final LossFunction loss;
        private final ViewPipeline first;
        private final ViewPipeline second;

        Model(EncoderModel encoder, int[] image, EncoderModel head, LossFunction loss, ViewPipeline first, ViewPipeline second) {
            super(encoder, image, head.parameters());
            this.head = head;
            this.loss = loss;
            this.first = first;
            this.second = second;
        }

        @Override
        public Batch prepare(List<Example> examples, SplittableRandom random) {
            int n = examples.size();
            int size = imageSize();
            float[] a = new float[n * size];
            float[] b = new float[n * size];
            for (int i = 0; i < n; i++) {
                Example.Image img = image(examples.get(i));
                first.render(img, a, i * size, random);
                second.render(img, b, i * size, random);
            }
            Map<String, HostTensor> out = new LinkedHashMap<>();
            out.put(VIEW1, HostTensor.of(images(n), a));
            out.put(VIEW2, HostTensor.of(images(n), b));
            return new Batch(out);
        }

        @Override
        public Objective objective() {
            return (ops, params, inputs, mode) -> {
                Tensor view1 = inputs.get(VIEW1);
                int n = view1.shape().dim(0);
                // Both views in one pass: one convolution per layer instead of two (batch norm then sees 2N images, as in SimCLR).
                Tensor h = encoder.forward(ops, params, ops.concat(List.of(view1, inputs.get(VIEW2)), 0), mode);
                Tensor z = head.forward(ops, params, h, mode);
                LossOutput out = loss.compute(ops, new LossInputs.Pair(rows(ops, z, 0, n), rows(ops, z, n, n)));
                Map<String, Tensor> metrics = new HashMap<>(out.metrics());
                metrics.put(EMBEDDING_STD, meanStd(ops, rows(ops, h, 0, n)));
                return new LossOutput(out.loss(), metrics);
            };
        }
    }
}

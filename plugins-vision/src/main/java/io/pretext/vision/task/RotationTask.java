package io.pretext.vision.task;

import io.pretext.api.EncoderModel;
import io.pretext.api.LossFunction;
import io.pretext.api.LossInputs;
import io.pretext.api.LossKind;
import io.pretext.api.TaskContext;
import io.pretext.api.TaskModel;
import io.pretext.api.data.Example;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Batch;
import io.pretext.api.model.LossOutput;
import io.pretext.api.model.Objective;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.vision.augment.ViewPipeline;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Rotation prediction (Gidaris et al. 2018), a classic self-prediction baseline: each image is
 * turned by 0, 90, 180 or 270 degrees and a classifier head on the encoder predicts which, with
 * any classification loss. By default every image appears in all four rotations (a batch of N
 * images trains on 4N); otherwise one rotation is drawn per image. Needs square images.
 */
public final class RotationTask extends ImageTask {
    /** Option: augmentations applied before rotating. */
    public static final String AUGMENTATIONS = "augmentations";
    /** Option: hidden widths of the classifier head. */
    public static final String HEAD_WIDTHS = "head-widths";
    /** Option: all four rotations per image, or one random. */
    public static final String ALL_ROTATIONS = "all-rotations";

    /** Batch input: the rotated images. */
    public static final String ROTATED = "rotated";
    /** Batch input: the rotation index (quarter turns counter-clockwise), int32. */
    public static final String ROTATION = "rotation";

    @Override
    public String id() {
        return "rotation";
    }

    @Override
    public String description() {
        return "Rotation prediction: classify which of 0/90/180/270 degrees each image was turned by";
    }

    @Override
    public LossKind lossKind() {
        return LossKind.CLASSIFICATION;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                pipeline(AUGMENTATIONS, List.of(), "augmentation pipeline applied before rotating, e.g. "
                        + "[{id: random-resized-crop, min-scale: 0.5}]; empty = none"),
                OptionSpec.integers(HEAD_WIDTHS, List.of(), "hidden widths of the classifier head (mlp); empty = a linear classifier")
                        .atLeast(1),
                OptionSpec.flag(ALL_ROTATIONS, true, "train on all four rotations of every image (batch x4); false = one random rotation each"));
    }

    @Override
    List<String> pipelineOptions() {
        return List.of(AUGMENTATIONS);
    }

    @Override
    public TaskModel bind(TaskContext context, Options options) {
        int[] image = checkImages(context);
        if (image[0] != image[1]) {
            throw new ShapeException(id(), "turns images by quarter turns and needs them square, got " + image[0] + "x" + image[1]
                    + " (set data.height and data.width equal)");
        }
        ViewPipeline pipeline = ViewPipeline.of(options.getComponents(AUGMENTATIONS), context.registry());
        EncoderModel head = mlp(context.registry(), "head", context.encoder().outputShape(),
                withOutput(options.getLongs(HEAD_WIDTHS), 4));
        return new Model(context.encoder(), image, head, context.loss(), pipeline, options.getBoolean(ALL_ROTATIONS));
    }

    /**
     * Turns a square HWC image counter-clockwise by quarter turns.
     *
     * @param src source pixels
     * @param side height = width
     * @param channels channels
     * @param quarters 0..3
     * @param dst target array
     * @param offset where the turned image starts in {@code dst}
     */
    static void rotate(float[] src, int side, int channels, int quarters, float[] dst, int offset) {
        int last = side - 1;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                // Output (y, x) reads the source pixel that a counter-clockwise turn moves there.
                int sy;
                int sx;
                switch (quarters) {
                    case 0 -> {
                        sy = y;
                        sx = x;
                    }
                    case 1 -> {
                        sy = x;
                        sx = last - y;
                    }
                    case 2 -> {
                        sy = last - y;
                        sx = last - x;
                    }
                    default -> {
                        sy = last - x;
                        sx = y;
                    }
                }
                System.arraycopy(src, (sy * side + sx) * channels, dst, offset + (y * side + x) * channels, channels);
            }
        }
    }

    /** Rotation prediction bound to a run. */
    static final class Model extends ImageTaskModel {
        private final EncoderModel head;
        private final LossFunction loss;
        private final ViewPipeline pipeline;
        private final boolean all;

        Model(EncoderModel encoder, int[] image, EncoderModel head, LossFunction loss, ViewPipeline pipeline, boolean all) {
            super(encoder, image, head.parameters());
            this.head = head;
            this.loss = loss;
            this.pipeline = pipeline;
            this.all = all;
        }

        @Override
        public Batch prepare(List<Example> examples, SplittableRandom random) {
            int n = examples.size();
            int size = imageSize();
            int copies = all ? 4 : 1;
            float[] rotated = new float[n * copies * size];
            int[] labels = new int[n * copies];
            float[] view = new float[size];
            for (int i = 0; i < n; i++) {
                pipeline.render(image(examples.get(i)), view, 0, random);
                for (int c = 0; c < copies; c++) {
                    int row = i * copies + c;
                    int q = all ? c : random.nextInt(4);
                    rotate(view, height, channels, q, rotated, row * size);
                    labels[row] = q;
                }
            }
            Map<String, HostTensor> out = new LinkedHashMap<>();
            out.put(ROTATED, HostTensor.of(images(n * copies), rotated));
            out.put(ROTATION, HostTensor.of(Shape.of(n * copies), labels));
            return new Batch(out);
        }

        @Override
        public Objective objective() {
            return (ops, params, inputs, mode) -> {
                Tensor h = encoder.forward(ops, params, inputs.get(ROTATED), mode);
                Tensor logits = head.forward(ops, params, h, mode);
                LossOutput out = loss.compute(ops, new LossInputs.Classification(logits, inputs.get(ROTATION)));
                Map<String, Tensor> metrics = new HashMap<>(out.metrics());
                metrics.put(EMBEDDING_STD, meanStd(ops, h));
                return new LossOutput(out.loss(), metrics);
            };
        }
    }
}

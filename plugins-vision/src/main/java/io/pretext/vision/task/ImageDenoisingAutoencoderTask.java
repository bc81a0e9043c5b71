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
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.vision.augment.ViewPipeline;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Denoising autoencoder for images (Vincent et al. 2008): corrupt the image with any augmentation
 * pipeline (Gaussian noise by default; cutout gives an inpainting task), encode it, and decode the
 * embedding back to the clean image with an MLP decoder (the registry's {@code mlp}, sigmoid
 * output), trained with any reconstruction loss. The decoder is dropped after training.
 */
public final class ImageDenoisingAutoencoderTask extends ImageTask {
    /** Option: the corruption pipeline. */
    public static final String NOISE = "noise";
    /** Option: hidden widths of the decoder. */
    public static final String DECODER_WIDTHS = "decoder-widths";

    /** Batch input: the corrupted images. */
    public static final String NOISY = "noisy";
    /** Batch input: the clean images, flattened. */
    public static final String CLEAN = "clean";

    @Override
    public String id() {
        return "image-denoising-autoencoder";
    }

    @Override
    public String description() {
        return "Denoising autoencoder for images: corrupt (noise, cutout...), encode, decode the clean image";
    }

    @Override
    public LossKind lossKind() {
        return LossKind.RECONSTRUCTION;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                pipeline(NOISE, List.of(step("gaussian-noise", "sigma", 0.3)), "corruption pipeline (augmentations), e.g. "
                        + "[{id: gaussian-noise, sigma: 0.3}] or [{id: cutout, size: 0.5}]"),
                OptionSpec.integers(DECODER_WIDTHS, List.of(256L), "hidden widths of the MLP decoder; its output is the whole image")
                        .atLeast(1));
    }

    @Override
    List<String> pipelineOptions() {
        return List.of(NOISE);
    }

    @Override
    public TaskModel bind(TaskContext context, Options options) {
        int[] image = checkImages(context);
        ViewPipeline noise = ViewPipeline.of(options.getComponents(NOISE), context.registry());
        EncoderModel decoder = mlp(context.registry(), "decoder", context.encoder().outputShape(),
                withOutput(options.getLongs(DECODER_WIDTHS), image[0] * image[1] * image[2]));
        return new Model(context.encoder(), image, decoder, context.loss(), noise);
    }

    /** The denoising autoencoder bound to a run. */
    static final class Model extends ImageTaskModel {
        private final EncoderModel decoder;
        private final LossFunction loss;
        private final ViewPipeline noise;

        Model(EncoderModel encoder, int[] image, EncoderModel decoder, LossFunction loss, ViewPipeline noise) {
            super(encoder, image, decoder.parameters());
            this.decoder = decoder;
            this.loss = loss;
            this.noise = noise;
        }

        @Override
        public Batch prepare(List<Example> examples, SplittableRandom random) {
            int n = examples.size();
            int size = imageSize();
            float[] noisy = new float[n * size];
            float[] clean = new float[n * size];
            for (int i = 0; i < n; i++) {
                Example.Image img = image(examples.get(i));
                System.arraycopy(img.pixels(), 0, clean, i * size, size);
                noise.render(img, noisy, i * size, random);
            }
            Map<String, HostTensor> out = new LinkedHashMap<>();
            out.put(NOISY, HostTensor.of(images(n), noisy));
            out.put(CLEAN, HostTensor.of(Shape.of(n, size), clean));
            return new Batch(out);
        }

        @Override
        public Objective objective() {
            return (ops, params, inputs, mode) -> {
                Tensor h = encoder.forward(ops, params, inputs.get(NOISY), mode);
                Tensor reconstruction = ops.sigmoid(decoder.forward(ops, params, h, mode));
                LossOutput out = loss.compute(ops, new LossInputs.Reconstruction(reconstruction, inputs.get(CLEAN), Optional.empty()));
                Map<String, Tensor> metrics = new HashMap<>(out.metrics());
                metrics.put(EMBEDDING_STD, meanStd(ops, h));
                return new LossOutput(out.loss(), metrics);
            };
        }
    }
}

package io.pretext.vision.task;

import io.pretext.api.LossFunction;
import io.pretext.api.LossInputs;
import io.pretext.api.LossKind;
import io.pretext.api.TaskContext;
import io.pretext.api.TaskModel;
import io.pretext.api.data.Example;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.PretextException;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Initializer;
import io.pretext.api.model.LossOutput;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.layers.Dense;
import io.pretext.layers.Pooling;
import io.pretext.layers.PositionEmbedding;
import io.pretext.layers.TransformerStack;
import io.pretext.vision.augment.ViewPipeline;
import io.pretext.vision.encoder.VitModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Masked autoencoder (He et al. 2022): cut each image into the ViT's patches, hide a random share
 * (75% by default, a fresh draw per image), encode only the visible patches with the {@code vit}
 * encoder, then a small Transformer decoder sees the encoded visible tokens plus a shared learned
 * mask token at every hidden position (with its own position embedding) and predicts the pixels of
 * every patch; the loss (any reconstruction loss, MSE in the paper) compares the hidden patches
 * only, optionally normalized per patch ({@code norm-pix-loss}). The decoder is dropped after
 * training; the encoder's embedding is the mean of its tokens over the whole image.
 *
 * <p>Per-image subsets of tokens are taken with gathers on the flattened [N * T, D] tokens using
 * indices built on the host, so the op set needs nothing beyond {@code gather}.
 */
public final class MaskedAutoencoderTask extends ImageTask {
    /** Option: share of patches hidden. */
    public static final String MASK_RATIO = "mask-ratio";
    /** Option: decoder token width. */
    public static final String DECODER_DIM = "decoder-dim";
    /** Option: decoder blocks. */
    public static final String DECODER_DEPTH = "decoder-depth";
    /** Option: decoder heads. */
    public static final String DECODER_HEADS = "decoder-heads";
    /** Option: per-patch normalized targets. */
    public static final String NORM_PIX_LOSS = "norm-pix-loss";
    /** Option: augmentations before masking. */
    public static final String AUGMENTATIONS = "augmentations";

    /** Batch input: the (augmented) images. */
    public static final String IMAGE = "image";
    /** Batch input: [N, visible] int32 indices of the visible tokens into the flattened [N * T] tokens. */
    public static final String VISIBLE = "visible";
    /** Batch input: [N, T] int32, for each position the row of [encoded visible tokens; mask token] the decoder reads. */
    public static final String RESTORE = "restore";
    /** Batch input: [N, masked] int32 indices of the hidden tokens into the flattened [N * T] predictions. */
    public static final String MASKED = "masked";
    /** Batch input: [N, masked, patch width] target pixels of the hidden patches. */
    public static final String TARGET = "target";

    @Override
    public String id() {
        return "masked-autoencoder";
    }

    @Override
    public String description() {
        return "Masked autoencoder (ViT): hide most patches, encode the visible ones, reconstruct the hidden ones";
    }

    @Override
    public LossKind lossKind() {
        return LossKind.RECONSTRUCTION;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.decimal(MASK_RATIO, 0.75, "share of each image's patches hidden from the encoder").greaterThan(0).lessThan(1),
                OptionSpec.integer(DECODER_DIM, 64, "token width of the decoder").atLeast(1),
                OptionSpec.integer(DECODER_DEPTH, 1, "Transformer blocks of the decoder").atLeast(1),
                OptionSpec.integer(DECODER_HEADS, 4, "attention heads of the decoder (must divide decoder-dim)").atLeast(1),
                OptionSpec.flag(NORM_PIX_LOSS, false, "reconstruct each patch normalized by its own mean and std (MAE's norm_pix_loss)"),
                pipeline(AUGMENTATIONS, List.of(), "augmentation pipeline applied before masking; empty = none"));
    }

    @Override
    List<String> pipelineOptions() {
        return List.of(AUGMENTATIONS);
    }

    @Override
    public TaskModel bind(TaskContext context, Options options) {
        int[] image = checkImages(context);
        if (!(context.encoder() instanceof VitModel vit)) {
            throw new PretextException("pretext task 'masked-autoencoder' encodes the visible patches only, which needs encoder 'vit' "
                    + "(set encoder.id: vit); with another encoder (cnn, resnet, mlp) use image-denoising-autoencoder with noise 'cutout'");
        }
        double ratio = options.getDouble(MASK_RATIO);
        int tokens = vit.tokens();
        int visible = (int) Math.round((1 - ratio) * tokens);
        if (tokens < 2) {
            throw new PretextException("pretext task 'masked-autoencoder': the images make " + tokens + " patch of encoder 'vit'; "
                    + "masking needs at least 2 (set a smaller patch-size in the encoder section)");
        }
        if (visible < 1 || visible >= tokens) {
            throw new InvalidOptionException(options.key(MASK_RATIO), "hides all or none of the " + tokens + " patches (" + ratio
                    + "); choose a ratio that leaves between 1 and " + (tokens - 1) + " visible");
        }
        int dim = options.getInt(DECODER_DIM);
        int depth = options.getInt(DECODER_DEPTH);
        int heads = options.getInt(DECODER_HEADS);
        if (dim % heads != 0) {
            throw new InvalidOptionException(options.key(DECODER_HEADS), heads + " heads do not divide " + options.key(DECODER_DIM)
                    + " (" + dim + "): each head takes an equal share of the token width");
        }
        ViewPipeline pipeline = ViewPipeline.of(options.getComponents(AUGMENTATIONS), context.registry());
        return new Model(vit, image, new Decoder(vit, dim, depth, heads), context.loss(), pipeline, visible, options.getBoolean(NORM_PIX_LOSS));
    }

    /** The decoder: input projection, mask token, positions, Transformer, pixel prediction, declared in that order. */
    static final class Decoder {
        static final String SCOPE = "decoder";
        final Dense embed;
        final String maskToken = SCOPE + "/mask_token";
        final PositionEmbedding positions;
        final TransformerStack transformer;
        final Dense predict;
        final List<ParamSpec> parameters;

        Decoder(VitModel vit, int dim, int depth, int heads) {
            this.transformer = new TransformerStack(SCOPE + "/transformer", depth, dim, heads, 2 * dim, 0f);
            this.embed = Dense.xavier(SCOPE + "/embed", vit.dim(), dim);
            this.positions = new PositionEmbedding(SCOPE + "/position", vit.tokens(), dim);
            this.predict = Dense.xavier(SCOPE + "/predict", dim, vit.patchWidth());
            List<ParamSpec> specs = new ArrayList<>(embed.parameters());
            specs.add(ParamSpec.trainable(maskToken, Shape.of(1, dim), new Initializer.TruncatedNormal(0.02)));
            specs.addAll(positions.parameters());
            specs.addAll(transformer.parameters());
            specs.addAll(predict.parameters());
            this.parameters = List.copyOf(specs);
        }
    }

    /** The masked autoencoder bound to a run. */
    static final class Model extends ImageTaskModel {
        private final VitModel vit;
        private final Decoder decoder;
        private final LossFunction loss;
        private final ViewPipeline pipeline;
        private final int visible;
        private final boolean normalizeTargets;

        Model(VitModel vit, int[] image, Decoder decoder, LossFunction loss, ViewPipeline pipeline, int visible, boolean normalizeTargets) {
            super(vit, image, decoder.parameters);
            this.vit = vit;
            this.decoder = decoder;
            this.loss = loss;
            this.pipeline = pipeline;
            this.visible = visible;
            this.normalizeTargets = normalizeTargets;
        }

        /** @return visible patches per image */
        int visiblePerImage() {
            return visible;
        }

        @Override
        public Batch prepare(List<Example> examples, SplittableRandom random) {
            int n = examples.size();
            int size = imageSize();
            int t = vit.tokens();
            int hidden = t - visible;
            int pw = vit.patchWidth();
            float[] images = new float[n * size];
            int[] visibleIdx = new int[n * visible];
            int[] restore = new int[n * t];
            int[] maskedIdx = new int[n * hidden];
            float[] target = new float[n * hidden * pw];
            int[] order = new int[t];
            int maskRow = n * visible; // the mask token's row in [encoded visible tokens; mask token]
            for (int i = 0; i < n; i++) {
                pipeline.render(image(examples.get(i)), images, i * size, random);
                for (int k = 0; k < t; k++) {
                    order[k] = k;
                }
                // Partial Fisher-Yates: the first `visible` positions are a uniform subset, kept in grid order below.
                for (int k = 0; k < visible; k++) {
                    int r = k + random.nextInt(t - k);
                    int tmp = order[r];
                    order[r] = order[k];
                    order[k] = tmp;
                }
                java.util.Arrays.sort(order, 0, visible);
                java.util.Arrays.sort(order, visible, t);
                java.util.Arrays.fill(restore, i * t, (i + 1) * t, maskRow);
                for (int k = 0; k < visible; k++) {
                    visibleIdx[i * visible + k] = i * t + order[k];
                    restore[i * t + order[k]] = i * visible + k;
                }
                float[] img = java.util.Arrays.copyOfRange(images, i * size, (i + 1) * size);
                for (int k = 0; k < hidden; k++) {
                    int token = order[visible + k];
                    maskedIdx[i * hidden + k] = i * t + token;
                    int at = (i * hidden + k) * pw;
                    vit.patch(img, token, target, at);
                    if (normalizeTargets) {
                        normalize(target, at, pw);
                    }
                }
            }
            Map<String, HostTensor> out = new LinkedHashMap<>();
            out.put(IMAGE, HostTensor.of(images(n), images));
            out.put(VISIBLE, HostTensor.of(Shape.of(n, visible), visibleIdx));
            out.put(RESTORE, HostTensor.of(Shape.of(n, t), restore));
            out.put(MASKED, HostTensor.of(Shape.of(n, hidden), maskedIdx));
            out.put(TARGET, HostTensor.of(Shape.of(n, hidden, pw), target));
            return new Batch(out);
        }

        /** MAE's per-patch target normalization: (x - mean) / sqrt(var + 1e-6), variance unbiased as torch.var. */
        private static void normalize(float[] v, int from, int count) {
            double mean = 0;
            for (int i = 0; i < count; i++) {
                mean += v[from + i];
            }
            mean /= count;
            double var = 0;
            for (int i = 0; i < count; i++) {
                double d = v[from + i] - mean;
                var += d * d;
            }
            var /= Math.max(1, count - 1);
            double scale = 1.0 / Math.sqrt(var + 1e-6);
            for (int i = 0; i < count; i++) {
                v[from + i] = (float) ((v[from + i] - mean) * scale);
            }
        }

        @Override
        public Objective objective() {
            return (ops, params, inputs, mode) -> {
                Tensor images = inputs.get(IMAGE);
                int n = images.shape().dim(0);
                int t = vit.tokens();
                int d = vit.dim();
                Tensor tokens = ops.reshape(vit.embed(ops, params, vit.patchify(ops, images)), Shape.of(n * t, d));
                Tensor encoded = vit.encode(ops, params, ops.gather(tokens, inputs.get(VISIBLE), 0), mode);
                Tensor projected = decoder.embed.apply(ops, params, encoded);
                int dd = projected.shape().dim(2);
                Tensor table = ops.concat(List.of(ops.reshape(projected, Shape.of(n * visible, dd)), params.get(decoder.maskToken)), 0);
                Tensor full = decoder.positions.apply(ops, params, ops.gather(table, inputs.get(RESTORE), 0));
                Tensor decoded = decoder.transformer.apply(ops, params, full, mode);
                Tensor pixels = decoder.predict.apply(ops, params, decoded);
                Tensor flat = ops.reshape(pixels, Shape.of(n * t, vit.patchWidth()));
                Tensor predicted = ops.gather(flat, inputs.get(MASKED), 0);
                LossOutput out = loss.compute(ops, new LossInputs.Reconstruction(predicted, inputs.get(TARGET), Optional.empty()));
                Map<String, Tensor> metrics = new HashMap<>(out.metrics());
                metrics.put(EMBEDDING_STD, meanStd(ops, Pooling.meanOverTokens(ops, encoded)));
                return new LossOutput(out.loss(), metrics);
            };
        }
    }
}

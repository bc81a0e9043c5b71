package io.pretext.tabular.task;

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
import io.pretext.tabular.encoding.TableEncoding;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A denoising autoencoder for tables: noise in, clean row out. Swap noise replaces each feature
 * with probability {@code swap-rate} by the same column of a random training row (the noise of
 * the Porto Seguro winning solution); Gaussian noise adds N(0, {@code noise-std}^2) to every
 * encoded input. A decoder head (registry {@code mlp}) maps the embedding back to the encoded row,
 * scored by the configured reconstruction loss (e.g. {@code mse}).
 */
public final class DenoisingAutoencoderTask extends TableTask {
    /** Option: kind of noise. */
    public static final String NOISE = "noise";
    /** Option: probability of swapping a feature. */
    public static final String SWAP_RATE = "swap-rate";
    /** Option: standard deviation of Gaussian noise. */
    public static final String NOISE_STD = "noise-std";
    /** Option: hidden widths of the decoder. */
    public static final String DECODER_WIDTHS = "decoder-widths";

    /** Batch input: the noisy rows, encoded. */
    public static final String NOISY = "noisy";
    /** Batch input: the clean rows, encoded. */
    public static final String TARGET = "target";

    @Override
    public String id() {
        return "denoising-autoencoder";
    }

    @Override
    public String description() {
        return "Denoising autoencoder: swap or Gaussian noise in, the clean encoded row out";
    }

    @Override
    public LossKind lossKind() {
        return LossKind.RECONSTRUCTION;
    }

    @Override
    public List<OptionSpec> options() {
        return withEncodingOptions(
                OptionSpec.choice(NOISE, "swap", "swap: features replaced by marginal draws; gaussian: noise added to the encoded row",
                        "swap", "gaussian"),
                OptionSpec.decimal(SWAP_RATE, 0.15, "probability that a feature is swapped (swap noise)").between(0, 1),
                OptionSpec.decimal(NOISE_STD, 0.1, "standard deviation of the added noise (gaussian noise)").atLeast(0),
                OptionSpec.integers(DECODER_WIDTHS, List.of(256L), "hidden widths of the decoder (mlp); its output is the encoded width")
                        .atLeast(1),
                marginalRowsOption());
    }

    @Override
    public TaskModel bind(TaskContext context, Options options) {
        boolean swap = options.getString(NOISE).equals("swap");
        double swapRate = options.getDouble(SWAP_RATE);
        double std = options.getDouble(NOISE_STD);
        TableBinding binding = TableBinding.bind(id(), context, options, swap ? options.getInt(MARGINAL_ROWS) : 0);
        EncoderModel decoder = Heads.mlp(context.registry(), "decoder", context.encoder().outputShape(),
                Heads.withOutput(options.getLongs(DECODER_WIDTHS), binding.encoding().width()));
        return new Model(binding, context.encoder(), decoder, context.loss(), swap, swapRate, (float) std);
    }

    /** The denoising autoencoder bound to a run. */
    static final class Model extends TableTaskModel {
        private final TableBinding binding;
        private final EncoderModel decoder;
        private final LossFunction loss;
        private final boolean swap;
        private final double swapRate;
        private final float std;

        Model(TableBinding binding, EncoderModel encoder, EncoderModel decoder, LossFunction loss, boolean swap, double swapRate,
              float std) {
            super(binding.encoding(), encoder, List.of(decoder));
            this.binding = binding;
            this.decoder = decoder;
            this.loss = loss;
            this.swap = swap;
            this.swapRate = swapRate;
            this.std = std;
        }

        @Override
        public Batch prepare(List<Example> examples, SplittableRandom random) {
            int n = examples.size();
            int d = encoding.columns();
            int w = encoding.width();
            float[] noisy = new float[n * w];
            float[] target = new float[n * w];
            float[] view = new float[d];
            MarginalSample marginals = swap ? binding.marginals().get() : null;
            for (int i = 0; i < n; i++) {
                float[] row = TableEncoding.row(examples.get(i));
                encoding.encode(row, target, i * w);
                if (swap) {
                    for (int j = 0; j < d; j++) {
                        view[j] = random.nextDouble() < swapRate ? marginals.draw(j, random) : row[j];
                    }
                    encoding.encode(view, noisy, i * w);
                } else {
                    for (int k = i * w; k < (i + 1) * w; k += 2) {
                        // Box-Muller gives two independent normals per pair of uniforms.
                        double radius = std * Math.sqrt(-2.0 * Math.log(1.0 - random.nextDouble()));
                        double angle = 2.0 * Math.PI * random.nextDouble();
                        noisy[k] = target[k] + (float) (radius * Math.cos(angle));
                        if (k + 1 < (i + 1) * w) {
                            noisy[k + 1] = target[k + 1] + (float) (radius * Math.sin(angle));
                        }
                    }
                }
            }
            Map<String, HostTensor> out = new LinkedHashMap<>();
            out.put(NOISY, HostTensor.of(Shape.of(n, w), noisy));
            out.put(TARGET, HostTensor.of(Shape.of(n, w), target));
            return new Batch(out);
        }

        @Override
        public Objective objective() {
            return (ops, params, inputs, mode) -> {
                Tensor h = encoder.forward(ops, params, inputs.get(NOISY), mode);
                Tensor reconstruction = decoder.forward(ops, params, h, mode);
                LossOutput out = loss.compute(ops, new LossInputs.Reconstruction(reconstruction, inputs.get(TARGET), Optional.empty()));
                Map<String, Tensor> metrics = new HashMap<>(out.metrics());
                metrics.put(EMBEDDING_STD, meanStd(ops, h));
                return new LossOutput(out.loss(), metrics);
            };
        }
    }
}

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
import io.pretext.api.tensor.Ops;
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
 * VIME self-supervision (Yoon et al. 2020): mask each feature with probability {@code mask-rate}
 * and replace masked values by draws from the feature's empirical marginal; from the corrupted row
 * the encoder and two heads estimate which features were replaced (sigmoid cross-entropy against
 * the mask, one output per raw column) and reconstruct the clean encoded row (the configured
 * reconstruction loss, e.g. {@code mse}). Loss = mask BCE + alpha * reconstruction.
 *
 * <p>As in the VIME code, the mask target is "the value changed": a draw that happens to equal
 * the original counts as not replaced, since nothing in the input could reveal it.
 */
public final class VimeTask extends TableTask {
    /** Option: probability that a feature is masked. */
    public static final String MASK_RATE = "mask-rate";
    /** Option: weight of the reconstruction term. */
    public static final String ALPHA = "alpha";
    /** Option: hidden widths of both heads. */
    public static final String HEAD_WIDTHS = "head-widths";

    /** Batch input: the corrupted rows, encoded. */
    public static final String CORRUPTED = "corrupted";
    /** Batch input: 1 where a raw column was replaced by a different value. */
    public static final String MASK = "mask";
    /** Batch input: the clean rows, encoded. */
    public static final String TARGET = "target";
    /** Metric: the mask-estimation term. */
    public static final String MASK_BCE = "mask-bce";
    /** Metric: the reconstruction term. */
    public static final String RECONSTRUCTION = "reconstruction";

    @Override
    public String id() {
        return "vime";
    }

    @Override
    public String description() {
        return "VIME: mask features with marginal draws; estimate the mask (BCE) and reconstruct the row";
    }

    @Override
    public LossKind lossKind() {
        return LossKind.RECONSTRUCTION;
    }

    @Override
    public List<OptionSpec> options() {
        return withEncodingOptions(
                OptionSpec.decimal(MASK_RATE, 0.3, "probability that a feature is replaced by a marginal draw").between(0, 1),
                OptionSpec.decimal(ALPHA, 2.0, "weight of the reconstruction loss against the mask loss").atLeast(0),
                OptionSpec.integers(HEAD_WIDTHS, List.of(), "hidden widths of the mask and feature heads (empty: linear heads)")
                        .atLeast(1),
                marginalRowsOption());
    }

    @Override
    public TaskModel bind(TaskContext context, Options options) {
        double rate = options.getDouble(MASK_RATE);
        double alpha = options.getDouble(ALPHA);
        List<Long> hidden = options.getLongs(HEAD_WIDTHS);
        TableBinding binding = TableBinding.bind(id(), context, options, options.getInt(MARGINAL_ROWS));
        Shape h = context.encoder().outputShape();
        EncoderModel maskHead = Heads.mlp(context.registry(), "mask_head", h,
                Heads.withOutput(hidden, binding.encoding().columns()));
        EncoderModel featureHead = Heads.mlp(context.registry(), "feature_head", h,
                Heads.withOutput(hidden, binding.encoding().width()));
        return new Model(binding, context.encoder(), maskHead, featureHead, context.loss(), rate, (float) alpha);
    }

    /** VIME bound to a run. */
    static final class Model extends TableTaskModel {
        private final TableBinding binding;
        private final EncoderModel maskHead;
        private final EncoderModel featureHead;
        private final LossFunction loss;
        private final double rate;
        private final float alpha;

        Model(TableBinding binding, EncoderModel encoder, EncoderModel maskHead, EncoderModel featureHead, LossFunction loss, double rate,
              float alpha) {
            super(binding.encoding(), encoder, List.of(maskHead, featureHead));
            this.binding = binding;
            this.maskHead = maskHead;
            this.featureHead = featureHead;
            this.loss = loss;
            this.rate = rate;
            this.alpha = alpha;
        }

        @Override
        public Batch prepare(List<Example> examples, SplittableRandom random) {
            MarginalSample marginals = binding.marginals().get();
            int n = examples.size();
            int d = encoding.columns();
            int w = encoding.width();
            float[] corrupted = new float[n * w];
            float[] target = new float[n * w];
            float[] mask = new float[n * d];
            float[] view = new float[d];
            for (int i = 0; i < n; i++) {
                float[] row = TableEncoding.row(examples.get(i));
                encoding.encode(row, target, i * w);
                for (int j = 0; j < d; j++) {
                    float v = row[j];
                    if (random.nextDouble() < rate) {
                        float drawn = marginals.draw(j, random);
                        boolean same = Float.isNaN(v) ? Float.isNaN(drawn) : drawn == v;
                        mask[i * d + j] = same ? 0f : 1f;
                        v = drawn;
                    }
                    view[j] = v;
                }
                encoding.encode(view, corrupted, i * w);
            }
            Map<String, HostTensor> out = new LinkedHashMap<>();
            out.put(CORRUPTED, HostTensor.of(Shape.of(n, w), corrupted));
            out.put(MASK, HostTensor.of(Shape.of(n, d), mask));
            out.put(TARGET, HostTensor.of(Shape.of(n, w), target));
            return new Batch(out);
        }

        @Override
        public Objective objective() {
            return (ops, params, inputs, mode) -> {
                Tensor h = encoder.forward(ops, params, inputs.get(CORRUPTED), mode);
                Tensor maskLoss = sigmoidCrossEntropy(ops, maskHead.forward(ops, params, h, mode), inputs.get(MASK));
                Tensor prediction = featureHead.forward(ops, params, h, mode);
                LossOutput reconstruction = loss.compute(ops, new LossInputs.Reconstruction(prediction, inputs.get(TARGET),
                        Optional.empty()));
                Tensor total = ops.add(maskLoss, ops.mul(ops.scalar(alpha), reconstruction.loss()));
                Map<String, Tensor> metrics = new HashMap<>(reconstruction.metrics());
                metrics.put(MASK_BCE, maskLoss);
                metrics.put(RECONSTRUCTION, reconstruction.loss());
                metrics.put(EMBEDDING_STD, meanStd(ops, h));
                return new LossOutput(total, metrics);
            };
        }

        /** Mean of softplus(l) - m * l: binary cross-entropy of sigmoid(l) against m, stable for large |l|. */
        static Tensor sigmoidCrossEntropy(Ops ops, Tensor logits, Tensor targets) {
            return ops.mean(ops.sub(ops.softplus(logits), ops.mul(targets, logits)), new int[0], false);
        }
    }
}

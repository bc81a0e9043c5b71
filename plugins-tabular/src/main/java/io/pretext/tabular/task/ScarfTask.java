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
import java.util.SplittableRandom;

/**
 * SCARF (Bahri et al. 2021): for every row, replace exactly {@code round(rate * d)} of its d
 * features, chosen uniformly without replacement, with the same column of a uniformly drawn
 * training row (the feature's empirical marginal); pass the clean row (anchor) and the corrupted
 * view (positive) through the encoder and a projection head, and contrast them with any pair loss
 * (InfoNCE, NT-Xent, VICReg, Barlow Twins...).
 *
 * <p>As in the PyTorch SCARF reference, corruption acts on feature values before the
 * network: raw values here, then both views go through the same column encoding. For numeric
 * columns this equals the reference's corruption of standardized values (standardization is an
 * affine map per column); for categorical columns it replaces the category, so a one-hot block is
 * never half-corrupted. Rounding is half-to-even, as Python's {@code round}.
 */
public final class ScarfTask extends TableTask {
    /** Option: share of each row's features replaced. */
    public static final String CORRUPTION_RATE = "corruption-rate";
    /** Option: projection head widths. */
    public static final String HEAD_WIDTHS = "head-widths";

    /** Batch input: the clean rows, encoded. */
    public static final String ANCHOR = "anchor";
    /** Batch input: the corrupted rows, encoded. */
    public static final String POSITIVE = "positive";

    @Override
    public String id() {
        return "scarf";
    }

    @Override
    public String description() {
        return "SCARF: contrast each row with a copy whose features are partly redrawn from their empirical marginals";
    }

    @Override
    public LossKind lossKind() {
        return LossKind.PAIR;
    }

    @Override
    public List<OptionSpec> options() {
        return withEncodingOptions(
                OptionSpec.decimal(CORRUPTION_RATE, 0.6, "share of each row's features replaced by marginal draws")
                        .between(0, 1),
                OptionSpec.integers(HEAD_WIDTHS, List.of(256L, 128L), "projection head widths (mlp, no final activation); the last is the "
                        + "size the loss compares").nonEmpty().atLeast(1),
                marginalRowsOption());
    }

    @Override
    public TaskModel bind(TaskContext context, Options options) {
        double rate = options.getDouble(CORRUPTION_RATE);
        List<Long> widths = options.getLongs(HEAD_WIDTHS);
        TableBinding binding = TableBinding.bind(id(), context, options, options.getInt(MARGINAL_ROWS));
        EncoderModel head = Heads.mlp(context.registry(), "head", context.encoder().outputShape(), widths);
        int d = binding.encoding().columns();
        return new Model(binding, context.encoder(), head, context.loss(), (int) Math.rint(rate * d));
    }

    /** SCARF bound to a run. */
    static final class Model extends TableTaskModel {
        private final TableBinding binding;
        private final EncoderModel head;
        private final LossFunction loss;
        private final int corrupted;

        Model(TableBinding binding, EncoderModel encoder, EncoderModel head, LossFunction loss, int corrupted) {
            super(binding.encoding(), encoder, List.of(head));
            this.binding = binding;
            this.head = head;
            this.loss = loss;
            this.corrupted = corrupted;
        }

        /** @return how many features of each row are replaced */
        int corruptedPerRow() {
            return corrupted;
        }

        @Override
        public Batch prepare(List<Example> examples, SplittableRandom random) {
            TableEncoding enc = encoding;
            MarginalSample marginals = binding.marginals().get();
            int n = examples.size();
            int d = enc.columns();
            int w = enc.width();
            float[] anchor = new float[n * w];
            float[] positive = new float[n * w];
            float[] view = new float[d];
            int[] order = new int[d];
            for (int i = 0; i < n; i++) {
                float[] row = TableEncoding.row(examples.get(i));
                enc.encode(row, anchor, i * w);
                System.arraycopy(row, 0, view, 0, d);
                for (int j = 0; j < d; j++) {
                    order[j] = j;
                }
                // Partial Fisher-Yates: the first `corrupted` entries are a uniform subset of the columns.
                for (int c = 0; c < corrupted; c++) {
                    int r = c + random.nextInt(d - c);
                    int col = order[r];
                    order[r] = order[c];
                    order[c] = col;
                    view[col] = marginals.draw(col, random);
                }
                enc.encode(view, positive, i * w);
            }
            Map<String, HostTensor> out = new LinkedHashMap<>();
            out.put(ANCHOR, HostTensor.of(Shape.of(n, w), anchor));
            out.put(POSITIVE, HostTensor.of(Shape.of(n, w), positive));
            return new Batch(out);
        }

        @Override
        public Objective objective() {
            return (ops, params, inputs, mode) -> {
                Tensor anchor = inputs.get(ANCHOR);
                int n = anchor.shape().dim(0);
                // One pass over both views: one matmul per layer instead of two (same values without batch norm).
                Tensor both = ops.concat(List.of(anchor, inputs.get(POSITIVE)), 0);
                Tensor h = encoder.forward(ops, params, both, mode);
                Tensor z = head.forward(ops, params, h, mode);
                LossOutput out = loss.compute(ops, new LossInputs.Pair(rows(ops, z, 0, n), rows(ops, z, n, n)));
                Map<String, Tensor> metrics = new HashMap<>(out.metrics());
                metrics.put(EMBEDDING_STD, meanStd(ops, rows(ops, h, 0, n)));
                return new LossOutput(out.loss(), metrics);
            };
        }
    }
}

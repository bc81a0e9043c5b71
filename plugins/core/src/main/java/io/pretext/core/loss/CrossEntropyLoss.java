package io.pretext.core.loss;

import io.pretext.api.Loss;
import io.pretext.api.LossFunction;
import io.pretext.api.LossInputs;
import io.pretext.api.LossKind;
import io.pretext.api.PretextApi;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.LossOutput;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Softmax cross-entropy between logits and integer labels, with optional label smoothing; reports
 * the batch accuracy as a metric. The targets are the one-hot labels (smoothed) fed to
 * {@link io.pretext.api.tensor.Ops#softmaxCrossEntropy}, which every backend can differentiate.
 */
public final class CrossEntropyLoss implements Loss {
    @Override
    public String id() {
        return "cross-entropy";
    }

    @Override
    public String description() {
        return "Softmax cross-entropy on integer labels, optional label smoothing; reports accuracy";
    }

    @Override
    public int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public LossKind kind() {
        return LossKind.CLASSIFICATION;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(OptionSpec.decimal("label-smoothing", 0.0, "share of the target mass spread over all classes")
                .atLeast(0).lessThan(1));
    }

    @Override
    public LossFunction create(Options options) {
        double smoothing = options.getDouble("label-smoothing");
        return (ops, inputs) -> {
            if (!(inputs instanceof LossInputs.Classification c)) {
                throw new IllegalArgumentException("loss 'cross-entropy' is a CLASSIFICATION loss; got " + inputs.kind() + " inputs");
            }
            Tensor logits = c.logits();
            Tensor labels = c.labels();
            if (logits.shape().rank() != 2 || labels.shape().rank() != 1 || labels.shape().dim(0) != logits.shape().dim(0)) {
                throw new ShapeException("cross-entropy", "needs logits [N, C] and labels [N], got " + logits.shape() + " and "
                        + labels.shape());
            }
            if (labels.dtype() == DType.FLOAT32) {
                throw new ShapeException("cross-entropy", "labels must be INT32 class indices, got FLOAT32");
            }
            int classes = logits.shape().dim(1);
            Tensor oneHot = ops.oneHot(labels, classes);
            Tensor target = smoothing == 0 ? oneHot
                    : ops.add(ops.mul(oneHot, ops.scalar((float) (1 - smoothing))), ops.scalar((float) (smoothing / classes)));
            Tensor loss = LossSupport.softCrossEntropy(ops, logits, target);
            Tensor hits = ops.sum(ops.mul(oneHot, ops.oneHot(ops.argMax(logits, 1), classes)), new int[] {1}, false);
            Tensor accuracy = ops.mean(hits, new int[0], false);
            return new LossOutput(loss, Map.of("accuracy", accuracy));
        };
    }
}

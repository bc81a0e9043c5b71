package io.pretext.core.loss;

import io.pretext.api.Loss;
import io.pretext.api.LossFunction;
import io.pretext.api.LossInputs;
import io.pretext.api.LossKind;
import io.pretext.api.PretextApi;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.LossOutput;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Tensor;

/**
 * Mean squared error between prediction and target; with weights, the weighted mean
 * {@code sum(w * (p - t)^2) / sum(w)} (e.g. only masked patches or corrupted features count).
 */
public final class MseLoss implements Loss {
    @Override
    public String id() {
        return "mse";
    }

    @Override
    public String description() {
        return "Mean squared error, optionally weighted per element (masked reconstruction)";
    }

    @Override
    public int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public LossKind kind() {
        return LossKind.RECONSTRUCTION;
    }

    @Override
    public LossFunction create(Options options) {
        return (ops, inputs) -> {
            if (!(inputs instanceof LossInputs.Reconstruction r)) {
                throw new IllegalArgumentException("loss 'mse' is a RECONSTRUCTION loss; got " + inputs.kind() + " inputs");
            }
            if (!r.prediction().shape().equals(r.target().shape())) {
                throw new ShapeException("mse", "prediction " + r.prediction().shape() + " and target " + r.target().shape()
                        + " differ");
            }
            Tensor sq = ops.square(ops.sub(r.prediction(), r.target()));
            if (r.weights().isEmpty()) {
                return LossOutput.of(ops.mean(sq, new int[0], false));
            }
            Tensor w = r.weights().get();
            Tensor total = ops.sum(ops.mul(sq, w), new int[0], false);
            // A batch where nothing is masked contributes zero rather than 0/0.
            Tensor count = ops.maximum(ops.sum(w, new int[0], false), ops.scalar(1e-8f));
            return LossOutput.of(ops.div(total, count));
        };
    }
}

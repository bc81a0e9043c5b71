package io.pretext.core.loss;

import io.pretext.api.Loss;
import io.pretext.api.LossFunction;
import io.pretext.api.LossInputs;
import io.pretext.api.LossKind;
import io.pretext.api.PretextApi;
import io.pretext.api.model.LossOutput;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Tensor;
import java.util.List;

/**
 * InfoNCE as SCARF uses it: each anchor's positive is the same row of the second view, every other
 * row of the second view is a negative; cosine similarity over a temperature, cross-entropy with
 * the diagonal as targets.
 */
public final class InfoNceLoss implements Loss {
    @Override
    public String id() {
        return "info-nce";
    }

    @Override
    public String description() {
        return "InfoNCE: anchor vs positive, negatives from the batch, cosine similarity / temperature";
    }

    @Override
    public int apiVersion() {
        return PretextApi.VERSION;
    }

    @Override
    public LossKind kind() {
        return LossKind.PAIR;
    }

    @Override
    public List<OptionSpec> options() {
        return List.of(
                OptionSpec.decimal("temperature", 0.1, "softmax temperature tau").greaterThan(0),
                OptionSpec.flag("symmetric", false, "average the loss of both directions (anchor->positive and back)"));
    }

    @Override
    public LossFunction create(Options options) {
        float tau = options.getFloat("temperature");
        boolean symmetric = options.getBoolean("symmetric");
        return (ops, inputs) -> {
            LossInputs.Pair p = LossSupport.pair(id(), inputs);
            int n = p.first().shape().dim(0);
            Tensor a = ops.l2Normalize(p.first(), 1, 1e-24f);
            Tensor b = ops.l2Normalize(p.second(), 1, 1e-24f);
            Tensor targets = LossSupport.identity(ops, n);
            Tensor logits = ops.div(ops.matmul(a, b, false, true), ops.scalar(tau));
            Tensor loss = LossSupport.softCrossEntropy(ops, logits, targets);
            if (symmetric) {
                Tensor back = LossSupport.softCrossEntropy(ops, ops.transpose(logits, 1, 0), targets);
                loss = ops.mul(ops.add(loss, back), ops.scalar(0.5f));
            }
            return LossOutput.of(loss);
        };
    }
}

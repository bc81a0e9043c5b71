package io.pretext.core.loss;

import io.pretext.api.Loss;
import io.pretext.api.LossFunction;
import io.pretext.api.LossInputs;
import io.pretext.api.LossKind;
import io.pretext.api.PretextApi;
import io.pretext.api.model.LossOutput;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The simplest contrastive loss (Hadsell, Chopra and LeCun): the squared L2 distance of positive
 * pairs is pulled down, negative pairs are pushed apart until their distance reaches a margin:
 * {@code mean_pos d^2 + mean_neg max(0, margin - d)^2}.
 */
public final class ContrastiveMarginLoss implements Loss {
    @Override
    public String id() {
        return "contrastive-margin";
    }

    @Override
    public String description() {
        return "Margin contrastive: L2 distance down for positive pairs, up to a margin for negatives";
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
                OptionSpec.decimal("margin", 1.0, "distance beyond which negative pairs cost nothing").greaterThan(0),
                OptionSpec.flag("normalize", true, "L2-normalize embeddings first, so distances lie in [0, 2]"));
    }

    @Override
    public LossFunction create(Options options) {
        float margin = options.getFloat("margin");
        boolean normalize = options.getBoolean("normalize");
        return (ops, inputs) -> {
            LossInputs.Pair p = LossSupport.pair(id(), inputs);
            int n = p.first().shape().dim(0);
            Tensor a = normalize ? ops.l2Normalize(p.first(), 1, 1e-24f) : p.first();
            Tensor b = normalize ? ops.l2Normalize(p.second(), 1, 1e-24f) : p.second();
            Tensor d2 = LossSupport.squaredDistances(ops, a, b);
            Tensor d = LossSupport.distances(ops, a, b);
            Tensor eye = LossSupport.identity(ops, n);
            Tensor off = LossSupport.offDiagonal(ops, n);
            Tensor positive = ops.div(ops.sum(ops.mul(d2, eye), new int[0], false), ops.scalar(n));
            Tensor hinge = ops.square(ops.relu(ops.sub(ops.scalar(margin), d)));
            Tensor negative = ops.div(ops.sum(ops.mul(hinge, off), new int[0], false), ops.scalar((float) n * (n - 1)));
            return new LossOutput(ops.add(positive, negative), Map.of("positive", positive, "negative", negative));
        };
    }
}

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

/**
 * Triplet loss: anchor row i of the first view, positive row i of the second, negatives the other
 * rows of the second; {@code max(0, d(a, p) - d(a, n) + margin)} averaged over every negative
 * ({@code all}) or taken at the closest negative per anchor ({@code hardest}).
 */
public final class TripletLoss implements Loss {
    @Override
    public String id() {
        return "triplet";
    }

    @Override
    public String description() {
        return "Triplet margin loss over in-batch negatives (all or hardest)";
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
                OptionSpec.decimal("margin", 0.5, "required gap between positive and negative distances").greaterThan(0),
                OptionSpec.choice("mining", "all", "which negatives count", "all", "hardest"),
                OptionSpec.flag("normalize", true, "L2-normalize embeddings first"));
    }

    @Override
    public LossFunction create(Options options) {
        float margin = options.getFloat("margin");
        boolean hardest = options.getString("mining").equals("hardest");
        boolean normalize = options.getBoolean("normalize");
        return (ops, inputs) -> {
            LossInputs.Pair p = LossSupport.pair(id(), inputs);
            int n = p.first().shape().dim(0);
            Tensor a = normalize ? ops.l2Normalize(p.first(), 1, 1e-24f) : p.first();
            Tensor b = normalize ? ops.l2Normalize(p.second(), 1, 1e-24f) : p.second();
            Tensor d = LossSupport.distances(ops, a, b);
            Tensor eye = LossSupport.identity(ops, n);
            Tensor off = LossSupport.offDiagonal(ops, n);
            Tensor dPos = ops.sum(ops.mul(d, eye), new int[] {1}, true); // [N, 1]
            Tensor violation = ops.relu(ops.add(ops.sub(dPos, d), ops.scalar(margin))); // [N, N]
            Tensor masked = ops.mul(violation, off);
            Tensor loss = hardest
                    ? ops.mean(ops.max(masked, new int[] {1}, false), new int[0], false)
                    : ops.div(ops.sum(masked, new int[0], false), ops.scalar((float) n * (n - 1)));
            return LossOutput.of(loss);
        };
    }
}

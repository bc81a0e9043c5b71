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
import java.util.Map;

/**
 * Barlow Twins (Zbontar et al.): standardize each embedding dimension over the batch, form the
 * cross-correlation matrix of the two views, and push it to the identity:
 * {@code sum_i (1 - C_ii)^2 + lambda * sum_{i != j} C_ij^2}.
 */
public final class BarlowTwinsLoss implements Loss {
    @Override
    public String id() {
        return "barlow-twins";
    }

    @Override
    public String description() {
        return "Barlow Twins: cross-correlation of the two views pushed to the identity";
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
                OptionSpec.decimal("off-diagonal-weight", 0.0051, "lambda: weight of the redundancy-reduction term").atLeast(0),
                OptionSpec.decimal("epsilon", 1e-5, "added to the variance when standardizing (as BatchNorm1d)").greaterThan(0));
    }

    @Override
    public LossFunction create(Options options) {
        float lambda = options.getFloat("off-diagonal-weight");
        float eps = options.getFloat("epsilon");
        return (ops, inputs) -> {
            LossInputs.Pair p = LossSupport.pair(id(), inputs);
            int n = p.first().shape().dim(0);
            int d = p.first().shape().dim(1);
            Tensor a = standardize(ops, p.first(), eps);
            Tensor b = standardize(ops, p.second(), eps);
            Tensor c = ops.div(ops.matmul(a, b, true, false), ops.scalar(n));
            Tensor onDiag = ops.sum(ops.mul(ops.square(ops.sub(c, ops.scalar(1f))), LossSupport.identity(ops, d)),
                    new int[0], false);
            Tensor offDiag = ops.sum(ops.mul(ops.square(c), LossSupport.offDiagonal(ops, d)), new int[0], false);
            Tensor loss = ops.add(onDiag, ops.mul(offDiag, ops.scalar(lambda)));
            return new LossOutput(loss, Map.of("on-diagonal", onDiag, "off-diagonal", offDiag));
        };
    }

    private static Tensor standardize(Ops ops, Tensor z, float eps) {
        Tensor c = ops.sub(z, ops.mean(z, new int[] {0}, true));
        Tensor var = ops.mean(ops.square(c), new int[] {0}, true); // biased, as BatchNorm1d in training
        return ops.mul(c, ops.rsqrt(ops.add(var, ops.scalar(eps))));
    }
}

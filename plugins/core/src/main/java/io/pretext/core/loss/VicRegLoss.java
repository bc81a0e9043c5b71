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
 * VICReg (Bardes, Ponce and LeCun): dimension-contrastive. Invariance (mean squared distance of
 * the pair), variance (hinge keeping each dimension's standard deviation above 1) and covariance
 * (squared off-diagonal covariances, per dimension), weighted; terms as in the paper's reference code.
 */
public final class VicRegLoss implements Loss {
    @Override
    public String id() {
        return "vicreg";
    }

    @Override
    public String description() {
        return "VICReg: invariance + variance + covariance terms (dimension-contrastive)";
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
                OptionSpec.decimal("invariance-weight", 25.0, "weight of the invariance (MSE) term").atLeast(0),
                OptionSpec.decimal("variance-weight", 25.0, "weight of the variance hinge term").atLeast(0),
                OptionSpec.decimal("covariance-weight", 1.0, "weight of the covariance term").atLeast(0),
                OptionSpec.decimal("epsilon", 1e-4, "added to the variance under the square root").greaterThan(0));
    }

    @Override
    public LossFunction create(Options options) {
        float lambda = options.getFloat("invariance-weight");
        float mu = options.getFloat("variance-weight");
        float nu = options.getFloat("covariance-weight");
        float eps = options.getFloat("epsilon");
        return (ops, inputs) -> {
            LossInputs.Pair p = LossSupport.pair(id(), inputs);
            Tensor invariance = ops.mean(ops.square(ops.sub(p.first(), p.second())), new int[0], false);
            Tensor variance = ops.mul(ops.add(varianceTerm(ops, p.first(), eps), varianceTerm(ops, p.second(), eps)),
                    ops.scalar(0.5f));
            Tensor covariance = ops.add(covarianceTerm(ops, p.first()), covarianceTerm(ops, p.second()));
            Tensor loss = ops.add(ops.add(ops.mul(invariance, ops.scalar(lambda)), ops.mul(variance, ops.scalar(mu))),
                    ops.mul(covariance, ops.scalar(nu)));
            return new LossOutput(loss, Map.of("invariance", invariance, "variance", variance, "covariance", covariance));
        };
    }

    private static Tensor centered(Ops ops, Tensor z) {
        return ops.sub(z, ops.mean(z, new int[] {0}, true));
    }

    private static Tensor varianceTerm(Ops ops, Tensor z, float eps) {
        int n = z.shape().dim(0);
        Tensor var = ops.div(ops.sum(ops.square(centered(ops, z)), new int[] {0}, false), ops.scalar(n - 1));
        Tensor std = ops.sqrt(ops.add(var, ops.scalar(eps)));
        return ops.mean(ops.relu(ops.sub(ops.scalar(1f), std)), new int[0], false);
    }

    private static Tensor covarianceTerm(Ops ops, Tensor z) {
        int n = z.shape().dim(0);
        int d = z.shape().dim(1);
        Tensor c = centered(ops, z);
        Tensor cov = ops.div(ops.matmul(c, c, true, false), ops.scalar(n - 1));
        Tensor offDiag = ops.mul(ops.square(cov), LossSupport.offDiagonal(ops, d));
        return ops.div(ops.sum(offDiag, new int[0], false), ops.scalar(d));
    }
}

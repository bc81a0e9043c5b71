package io.pretext.core.loss;

import io.pretext.api.Loss;
import io.pretext.api.LossFunction;
import io.pretext.api.LossInputs;
import io.pretext.api.LossKind;
import io.pretext.api.PretextApi;
import io.pretext.api.model.LossOutput;
import io.pretext.api.option.OptionSpec;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.List;

/**
 * NT-Xent (SimCLR): the 2N views of a batch; each view's positive is its pair, the other 2N - 2
 * views are negatives; a view is never compared with itself.
 */
public final class NtXentLoss implements Loss {
    // Added to self-similarities: exp() of it underflows to exactly 0, like PyTorch's fill with -inf,
    // without the NaN that -inf * 0 would give in the gradient.
    private static final float SELF_MASK = -1e9f;

    @Override
    public String id() {
        return "nt-xent";
    }

    @Override
    public String description() {
        return "NT-Xent (SimCLR): symmetric contrast over 2N views, cosine similarity / temperature";
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
        return List.of(OptionSpec.decimal("temperature", 0.5, "softmax temperature tau").greaterThan(0));
    }

    @Override
    public LossFunction create(Options options) {
        float tau = options.getFloat("temperature");
        return (ops, inputs) -> {
            LossInputs.Pair p = LossSupport.pair(id(), inputs);
            int n = p.first().shape().dim(0);
            int m = 2 * n;
            Tensor z = ops.l2Normalize(ops.concat(List.of(p.first(), p.second()), 0), 1, 1e-24f);
            Tensor sim = ops.div(ops.matmul(z, z, false, true), ops.scalar(tau));
            sim = ops.add(sim, ops.mul(LossSupport.identity(ops, m), ops.scalar(SELF_MASK)));
            float[] target = new float[m * m];
            for (int i = 0; i < n; i++) {
                target[i * m + (i + n)] = 1f;
                target[(i + n) * m + i] = 1f;
            }
            Tensor targets = ops.constant(HostTensor.of(Shape.of(m, m), target));
            return LossOutput.of(LossSupport.softCrossEntropy(ops, sim, targets));
        };
    }
}

package io.pretext.core.encoder;

import io.pretext.api.EncoderModel;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Initializer;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A configured MLP. Parameters follow PyTorch's {@code nn.Linear} initialization (kernel and bias
 * uniform in +-1/sqrt(fan-in)) so that models match the PyTorch references; batch norm follows
 * {@code nn.BatchNorm1d} (momentum 0.1, eps 1e-5, unbiased running variance).
 */
final class MlpModel implements EncoderModel {
    static final float NORM_EPSILON = 1e-5f;
    static final float BATCH_NORM_MOMENTUM = 0.1f;

    private final String scope;
    private final Shape inputShape;
    private final int inputWidth;
    private final int[] widths;
    private final Activation activation;
    private final Normalization normalization;
    private final float dropout;
    private final boolean finalActivation;
    private final List<ParamSpec> parameters;

    MlpModel(String scope, Shape inputShape, int[] widths, Activation activation, Normalization normalization, float dropout,
             boolean finalActivation) {
        this.scope = scope;
        this.inputShape = inputShape;
        this.inputWidth = Math.toIntExact(inputShape.size());
        this.widths = widths.clone();
        this.activation = activation;
        this.normalization = normalization;
        this.dropout = dropout;
        this.finalActivation = finalActivation;
        this.parameters = Collections.unmodifiableList(declare());
    }

    private List<ParamSpec> declare() {
        List<ParamSpec> specs = new ArrayList<>();
        int in = inputWidth;
        for (int i = 0; i < widths.length; i++) {
            int out = widths[i];
            double limit = 1.0 / Math.sqrt(in);
            specs.add(ParamSpec.trainable(name(i, "kernel"), Shape.of(in, out), new Initializer.FanInUniform()));
            specs.add(ParamSpec.trainable(name(i, "bias"), Shape.of(out), new Initializer.Uniform(limit)));
            if (normalized(i) && normalization != Normalization.NONE) {
                specs.add(ParamSpec.trainable(name(i, "gamma"), Shape.of(out), new Initializer.Constant(1f)));
                specs.add(ParamSpec.trainable(name(i, "beta"), Shape.of(out), new Initializer.Zeros()));
                if (normalization == Normalization.BATCH) {
                    specs.add(ParamSpec.state(name(i, "running_mean"), Shape.of(out), new Initializer.Zeros()));
                    specs.add(ParamSpec.state(name(i, "running_var"), Shape.of(out), new Initializer.Constant(1f)));
                }
            }
            in = out;
        }
        return specs;
    }

    private boolean normalized(int layer) {
        return layer < widths.length - 1 || finalActivation;
    }

    private String name(int layer, String what) {
        return scope + "/dense" + layer + "/" + what;
    }

    @Override
    public String scope() {
        return scope;
    }

    @Override
    public Shape inputShape() {
        return inputShape;
    }

    @Override
    public Shape outputShape() {
        return Shape.of(widths[widths.length - 1]);
    }

    @Override
    public List<ParamSpec> parameters() {
        return parameters;
    }

    @Override
    public Tensor forward(Ops ops, Params params, Tensor input, Mode mode) {
        Shape s = input.shape();
        if (s.rank() < 1 || !s.dropFirst().equals(inputShape)) {
            throw new ShapeException("mlp", "scope '" + scope + "' expects [batch, " + inputShape.toString().replace("[", "")
                    + " but got " + s);
        }
        Tensor x = s.rank() == 2 ? input : ops.reshape(input, Shape.of(s.dim(0), inputWidth));
        for (int i = 0; i < widths.length; i++) {
            x = ops.add(ops.matmul(x, params.get(name(i, "kernel"))), params.get(name(i, "bias")));
            if (!normalized(i)) {
                continue;
            }
            x = switch (normalization) {
                case NONE -> x;
                case LAYER -> layerNorm(ops, params, i, x);
                case BATCH -> batchNorm(ops, params, i, x, mode);
            };
            x = activation.apply(ops, x);
            if (mode == Mode.TRAIN && dropout > 0 && i < widths.length - 1) {
                x = ops.dropout(x, dropout);
            }
        }
        return x;
    }

    private Tensor layerNorm(Ops ops, Params params, int layer, Tensor x) {
        int[] last = {-1};
        Tensor mean = ops.mean(x, last, true);
        Tensor centered = ops.sub(x, mean);
        Tensor var = ops.mean(ops.square(centered), last, true);
        Tensor normed = ops.mul(centered, ops.rsqrt(ops.add(var, ops.scalar(NORM_EPSILON))));
        return ops.add(ops.mul(normed, params.get(name(layer, "gamma"))), params.get(name(layer, "beta")));
    }

    private Tensor batchNorm(Ops ops, Params params, int layer, Tensor x, Mode mode) {
        Tensor mean;
        Tensor var;
        int[] batchAxis = {0};
        if (mode == Mode.TRAIN) {
            int n = x.shape().dim(0);
            mean = ops.mean(x, batchAxis, false);
            var = ops.mean(ops.square(ops.sub(x, mean)), batchAxis, false);
            // Running statistics use the unbiased variance, as PyTorch does.
            Tensor unbiased = ops.mul(var, ops.scalar(n > 1 ? n / (float) (n - 1) : 1f));
            Tensor keep = ops.scalar(1 - BATCH_NORM_MOMENTUM);
            Tensor take = ops.scalar(BATCH_NORM_MOMENTUM);
            String rm = name(layer, "running_mean");
            String rv = name(layer, "running_var");
            params.assign(rm, ops.add(ops.mul(params.get(rm), keep), ops.mul(ops.stopGradient(mean), take)));
            params.assign(rv, ops.add(ops.mul(params.get(rv), keep), ops.mul(ops.stopGradient(unbiased), take)));
        } else {
            mean = params.get(name(layer, "running_mean"));
            var = params.get(name(layer, "running_var"));
        }
        Tensor normed = ops.mul(ops.sub(x, mean), ops.rsqrt(ops.add(var, ops.scalar(NORM_EPSILON))));
        return ops.add(ops.mul(normed, params.get(name(layer, "gamma"))), params.get(name(layer, "beta")));
    }
}

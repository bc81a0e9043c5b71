package io.pretext.layers;

import io.pretext.api.ApiStatus;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Initializer;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * A dense (fully connected) layer over the last axis: {@code x * kernel + bias}. Parameters
 * {@code <name>/kernel} [in, out] and {@code <name>/bias} [out]. Inputs of any rank from 2 up are
 * accepted; the leading axes are flattened for the product and restored after it.
 *
 * @param name parameter-name prefix
 * @param in input width (the last axis of the input)
 * @param out output width
 * @param init how the kernel and bias are initialized
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record Dense(String name, int in, int out, Init init) implements Layer {

    /** How a dense layer's parameters are first drawn. */
    @ApiStatus(ApiStatus.Status.EXPERIMENTAL)
    public enum Init {
        /**
         * PyTorch's {@code nn.Linear}: kernel and bias uniform in +-1/sqrt(in). MLPs and heads use it,
         * so that models match their PyTorch references.
         */
        LINEAR,
        /**
         * Glorot (Xavier) uniform kernel and zero bias: the Transformer convention (ViT, MAE), and what
         * every layer inside {@link TransformerBlock} uses.
         */
        XAVIER
    }

    /** Checks the widths. */
    public Dense {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(init, "init");
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("dense layer '" + name + "' needs positive widths, got " + in + " -> " + out);
        }
    }

    /**
     * @param name parameter-name prefix
     * @param in input width
     * @param out output width
     * @return a dense layer initialized as PyTorch's {@code nn.Linear}
     */
    public static Dense linear(String name, int in, int out) {
        return new Dense(name, in, out, Init.LINEAR);
    }

    /**
     * @param name parameter-name prefix
     * @param in input width
     * @param out output width
     * @return a dense layer with a Glorot-uniform kernel and a zero bias
     */
    public static Dense xavier(String name, int in, int out) {
        return new Dense(name, in, out, Init.XAVIER);
    }

    /** @return the kernel's parameter name, {@code <name>/kernel} */
    public String kernel() {
        return name + "/kernel";
    }

    /** @return the bias's parameter name, {@code <name>/bias} */
    public String bias() {
        return name + "/bias";
    }

    @Override
    public List<ParamSpec> parameters() {
        return switch (init) {
            case LINEAR -> List.of(
                    ParamSpec.trainable(kernel(), Shape.of(in, out), new Initializer.FanInUniform()),
                    ParamSpec.trainable(bias(), Shape.of(out), new Initializer.Uniform(1.0 / Math.sqrt(in))));
            case XAVIER -> List.of(
                    ParamSpec.trainable(kernel(), Shape.of(in, out), new Initializer.GlorotUniform()),
                    ParamSpec.trainable(bias(), Shape.of(out), new Initializer.Zeros()));
        };
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param x [..., in], rank 2 or more
     * @return {@code x * kernel + bias}, [..., out]
     * @throws ShapeException when {@code x} has rank below 2 or its last axis is not {@code in} wide
     */
    public Tensor apply(Ops ops, Params params, Tensor x) {
        int[] d = x.shape().dims();
        if (d.length < 2 || d[d.length - 1] != in) {
            throw new ShapeException("dense", "layer '" + name + "' takes [..., " + in + "], got " + x.shape());
        }
        Tensor weights = params.get(kernel());
        Tensor flat = d.length == 2 ? x : ops.reshape(x, Shape.of(Math.toIntExact(x.shape().size() / in), in));
        Tensor y = ops.add(ops.matmul(flat, weights), params.get(bias()));
        if (d.length == 2) {
            return y;
        }
        d[d.length - 1] = out;
        return ops.reshape(y, Shape.of(d));
    }
}

package io.pretext.layers;

import io.pretext.api.ApiStatus;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Initializer;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * Layer normalization over the last axis (Ba et al. 2016), as PyTorch's {@code nn.LayerNorm}: each
 * row is standardized with its own mean and biased variance, then scaled and shifted. Parameters
 * {@code <name>/gamma} (ones) and {@code <name>/beta} (zeros), both [width]. Independent of the
 * batch and of the mode.
 *
 * @param name parameter-name prefix
 * @param width size of the last axis
 * @param epsilon added to the variance
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record LayerNorm(String name, int width, float epsilon) implements Normalization {

    /** PyTorch's default epsilon. */
    public static final float EPSILON = 1e-5f;

    /** Checks the width and epsilon. */
    public LayerNorm {
        Objects.requireNonNull(name, "name");
        if (width < 1 || !(epsilon > 0)) {
            throw new IllegalArgumentException("layer norm '" + name + "' needs a positive width and epsilon, got " + width + ", "
                    + epsilon);
        }
    }

    /**
     * @param name parameter-name prefix
     * @param width size of the last axis
     * @return layer normalization with PyTorch's epsilon
     */
    public static LayerNorm of(String name, int width) {
        return new LayerNorm(name, width, EPSILON);
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.trainable(name + "/gamma", Shape.of(width), new Initializer.Constant(1f)),
                ParamSpec.trainable(name + "/beta", Shape.of(width), new Initializer.Zeros()));
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param x [..., width]
     * @return x normalized over its last axis, scaled and shifted
     * @throws ShapeException when the last axis is not {@code width} wide
     */
    public Tensor apply(Ops ops, Params params, Tensor x) {
        if (x.shape().rank() < 1 || x.shape().dim(-1) != width) {
            throw new ShapeException("layer-norm", "layer '" + name + "' takes [..., " + width + "], got " + x.shape());
        }
        int[] last = {-1};
        Tensor mean = ops.mean(x, last, true);
        Tensor centered = ops.sub(x, mean);
        Tensor var = ops.mean(ops.square(centered), last, true);
        Tensor normed = ops.mul(centered, ops.rsqrt(ops.add(var, ops.scalar(epsilon))));
        return ops.add(ops.mul(normed, params.get(name + "/gamma")), params.get(name + "/beta"));
    }

    /**
     * Layer normalization is the same in training and evaluation.
     *
     * @param ops op set
     * @param params parameters
     * @param x [..., width]
     * @param mode ignored
     * @return as {@link #apply(Ops, Params, Tensor)}
     */
    @Override
    public Tensor apply(Ops ops, Params params, Tensor x, Mode mode) {
        return apply(ops, params, x);
    }
}

package io.pretext.layers;

import io.pretext.api.ApiStatus;
import io.pretext.api.model.Initializer;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.ImageLayout;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * Group normalization of image activations (Wu and He 2018), as PyTorch's {@code nn.GroupNorm}:
 * the channels are split into groups, and each example's group is standardized over its channels
 * and both spatial axes with its own mean and biased variance, then scaled and shifted per
 * channel. Independent of the batch and of the mode, so it suits small or uneven batches.
 * Parameters {@code <name>/gamma} (ones) and {@code <name>/beta} (zeros), both [channels].
 *
 * @param name parameter-name prefix
 * @param channels number of channels
 * @param groups number of groups; divides {@code channels}
 * @param epsilon added to the variance
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record GroupNorm(String name, int channels, int groups, float epsilon) implements Normalization {

    /** PyTorch's default epsilon. */
    public static final float EPSILON = 1e-5f;

    /** Checks that the groups divide the channels. */
    public GroupNorm {
        Objects.requireNonNull(name, "name");
        if (channels < 1 || groups < 1 || channels % groups != 0 || !(epsilon > 0)) {
            throw new IllegalArgumentException("group norm '" + name + "': " + groups + " groups must divide " + channels
                    + " channels, and epsilon must be positive (" + epsilon + ")");
        }
    }

    /**
     * @param name parameter-name prefix
     * @param channels number of channels
     * @param groups number of groups; divides {@code channels}
     * @return group normalization with PyTorch's epsilon
     */
    public static GroupNorm of(String name, int channels, int groups) {
        return new GroupNorm(name, channels, groups, EPSILON);
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.trainable(name + "/gamma", Shape.of(channels), new Initializer.Constant(1f)),
                ParamSpec.trainable(name + "/beta", Shape.of(channels), new Initializer.Zeros()));
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param x image activation in the backend layout
     * @return the normalized activation
     * @throws io.pretext.api.error.ShapeException unless x is an image activation with {@code channels} channels
     */
    public Tensor apply(Ops ops, Params params, Tensor x) {
        ImageAxes.require("group-norm", name, ops, x, channels);
        int[] d = x.shape().dims();
        Tensor grouped;
        int[] axes;
        if (ops.imageLayout() == ImageLayout.NHWC) {
            grouped = ops.reshape(x, Shape.of(d[0], d[1], d[2], groups, d[3] / groups));
            axes = new int[] {1, 2, 4};
        } else {
            grouped = ops.reshape(x, Shape.of(d[0], groups, d[1] / groups, d[2], d[3]));
            axes = new int[] {2, 3, 4};
        }
        Tensor mean = ops.mean(grouped, axes, true);
        Tensor centered = ops.sub(grouped, mean);
        Tensor var = ops.mean(ops.square(centered), axes, true);
        Tensor normed = ops.reshape(ops.mul(centered, ops.rsqrt(ops.add(var, ops.scalar(epsilon)))), x.shape());
        return ops.add(ops.mul(normed, ImageAxes.perChannel(ops, params.get(name + "/gamma"))),
                ImageAxes.perChannel(ops, params.get(name + "/beta")));
    }

    /**
     * Group normalization is the same in training and evaluation.
     *
     * @param ops op set
     * @param params parameters
     * @param x image activation in the backend layout
     * @param mode ignored
     * @return as {@link #apply(Ops, Params, Tensor)}
     */
    @Override
    public Tensor apply(Ops ops, Params params, Tensor x, Mode mode) {
        return apply(ops, params, x);
    }
}

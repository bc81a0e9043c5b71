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
 * Batch normalization (Ioffe and Szegedy 2015), as PyTorch's {@code nn.BatchNorm1d} and
 * {@code nn.BatchNorm2d}. In training each channel is standardized with the batch's mean and
 * biased variance, and the running averages move towards the batch's mean and unbiased variance:
 * {@code running = (1 - momentum) * running + momentum * batch}. In evaluation the running
 * averages are used. Parameters {@code <name>/gamma} (ones), {@code <name>/beta} (zeros), and the
 * state (not trained, updated through {@link Params#assign}) {@code <name>/running_mean} (zeros) and
 * {@code <name>/running_var} (ones), all [channels].
 *
 * <p>A rank-4 input is an image activation in {@code ops.imageLayout()}, normalized per channel over
 * the batch and both spatial axes. Any other input of rank 2 or more has its channels on the last
 * axis and is normalized over every other axis ([batch, features], [batch, tokens, features]).
 *
 * @param name parameter-name prefix
 * @param channels number of channels (features)
 * @param epsilon added to the variance
 * @param momentum weight of the batch statistics in the running averages
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record BatchNorm(String name, int channels, float epsilon, float momentum) implements Normalization {

    /** PyTorch's default epsilon. */
    public static final float EPSILON = 1e-5f;
    /** PyTorch's default momentum. */
    public static final float MOMENTUM = 0.1f;

    /** Checks the sizes. */
    public BatchNorm {
        Objects.requireNonNull(name, "name");
        if (channels < 1 || !(epsilon > 0) || !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("batch norm '" + name + "' needs positive channels and epsilon and a momentum in [0, 1], "
                    + "got " + channels + ", " + epsilon + ", " + momentum);
        }
    }

    /**
     * @param name parameter-name prefix
     * @param channels number of channels
     * @return batch normalization with PyTorch's epsilon and momentum
     */
    public static BatchNorm of(String name, int channels) {
        return new BatchNorm(name, channels, EPSILON, MOMENTUM);
    }

    /** @return the running mean's parameter name */
    public String runningMean() {
        return name + "/running_mean";
    }

    /** @return the running variance's parameter name */
    public String runningVariance() {
        return name + "/running_var";
    }

    @Override
    public List<ParamSpec> parameters() {
        return List.of(
                ParamSpec.trainable(name + "/gamma", Shape.of(channels), new Initializer.Constant(1f)),
                ParamSpec.trainable(name + "/beta", Shape.of(channels), new Initializer.Zeros()),
                ParamSpec.state(runningMean(), Shape.of(channels), new Initializer.Zeros()),
                ParamSpec.state(runningVariance(), Shape.of(channels), new Initializer.Constant(1f)));
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param x an image activation (rank 4, in the backend layout) or [..., channels]
     * @param mode training (batch statistics; running averages assigned) or evaluation (running averages)
     * @return the normalized activation
     * @throws ShapeException when x has no channel axis of the declared size
     */
    @Override
    public Tensor apply(Ops ops, Params params, Tensor x, Mode mode) {
        return x.shape().rank() == 4 ? applyImage(ops, params, x, mode) : applyFeatures(ops, params, x, mode);
    }

    private Tensor applyFeatures(Ops ops, Params params, Tensor x, Mode mode) {
        int rank = x.shape().rank();
        if (rank < 2 || x.shape().dim(-1) != channels) {
            throw new ShapeException("batch-norm", "layer '" + name + "' takes [batch, ..., " + channels + "] or an image activation, got "
                    + x.shape());
        }
        Tensor mean;
        Tensor var;
        int[] batchAxes = new int[rank - 1];
        for (int i = 0; i < batchAxes.length; i++) {
            batchAxes[i] = i;
        }
        if (mode == Mode.TRAIN) {
            long count = x.shape().size() / channels;
            // The per-channel statistics are [channels] and broadcast over the last axis as they are.
            mean = ops.mean(x, batchAxes, false);
            var = ops.mean(ops.square(ops.sub(x, mean)), batchAxes, false);
            Tensor unbiased = ops.mul(var, ops.scalar(count > 1 ? count / (float) (count - 1) : 1f));
            Tensor keep = ops.scalar(1 - momentum);
            Tensor take = ops.scalar(momentum);
            params.assign(runningMean(), ops.add(ops.mul(params.get(runningMean()), keep), ops.mul(ops.stopGradient(mean), take)));
            params.assign(runningVariance(), ops.add(ops.mul(params.get(runningVariance()), keep),
                    ops.mul(ops.stopGradient(unbiased), take)));
        } else {
            mean = params.get(runningMean());
            var = params.get(runningVariance());
        }
        Tensor normed = ops.mul(ops.sub(x, mean), ops.rsqrt(ops.add(var, ops.scalar(epsilon))));
        return ops.add(ops.mul(normed, params.get(name + "/gamma")), params.get(name + "/beta"));
    }

    private Tensor applyImage(Ops ops, Params params, Tensor x, Mode mode) {
        ImageAxes.require("batch-norm", name, ops, x, channels);
        int channelAxis = ops.imageLayout().channelAxis();
        int[] axes = channelAxis == 3 ? new int[] {0, 1, 2} : new int[] {0, 2, 3};
        Tensor mean;
        Tensor var;
        if (mode == Mode.TRAIN) {
            long count = x.shape().size() / channels;
            // Kept as [1, C, 1, 1] or [1, 1, 1, C] to broadcast in either layout; flattened for the running averages.
            mean = ops.mean(x, axes, true);
            var = ops.mean(ops.square(ops.sub(x, mean)), axes, true);
            Tensor unbiased = ops.mul(var, ops.scalar(count > 1 ? count / (float) (count - 1) : 1f));
            Tensor keep = ops.scalar(1 - momentum);
            Tensor take = ops.scalar(momentum);
            Shape flat = Shape.of(channels);
            params.assign(runningMean(), ops.add(ops.mul(params.get(runningMean()), keep),
                    ops.mul(ops.reshape(ops.stopGradient(mean), flat), take)));
            params.assign(runningVariance(), ops.add(ops.mul(params.get(runningVariance()), keep),
                    ops.mul(ops.reshape(ops.stopGradient(unbiased), flat), take)));
        } else {
            mean = ImageAxes.perChannel(ops, params.get(runningMean()));
            var = ImageAxes.perChannel(ops, params.get(runningVariance()));
        }
        Tensor normed = ops.mul(ops.sub(x, mean), ops.rsqrt(ops.add(var, ops.scalar(epsilon))));
        return ops.add(ops.mul(normed, ImageAxes.perChannel(ops, params.get(name + "/gamma"))),
                ImageAxes.perChannel(ops, params.get(name + "/beta")));
    }
}

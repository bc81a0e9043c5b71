package io.pretext.vision.encoder;

import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Initializer;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.ImageLayout;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Padding;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.List;

/**
 * Layers composed from {@link Ops}, shared by the encoders here and the heads of the vision tasks:
 * convolution with bias, batch, group and layer normalization, global average pooling and dense
 * layers over the last axis of any rank. Layout-aware: image activations are in
 * {@code ops.imageLayout()}, and per-channel vectors are shaped to broadcast in it.
 */
public final class Layers {
    /** Epsilon of every normalization, PyTorch's default. */
    public static final float EPSILON = 1e-5f;
    /** Weight of the new batch statistics in batch norm's running averages, PyTorch's default. */
    public static final float MOMENTUM = 0.1f;

    private Layers() {
    }

    // ---- declarations -------------------------------------------------------------------------

    /**
     * Checks that a batch fed to an image encoder is [batch, height, width, channels] with the
     * encoder's image shape, so every encoder refuses a wrong input with the same message.
     *
     * @param encoderId the encoder's plugin id, named in the error
     * @param scope the encoder's parameter scope, named in the error
     * @param imageShape the expected per-image shape, NHWC without the batch axis
     * @param input the batch
     * @throws ShapeException if the batch has another rank or image shape
     */
    public static void requireImageBatch(String encoderId, String scope, Shape imageShape, Tensor input) {
        if (input.shape().rank() != 4 || !input.shape().dropFirst().equals(imageShape)) {
            throw new ShapeException(encoderId, "scope '" + scope + "' expects [batch, " + imageShape.toString().substring(1)
                    + " NHWC, got " + input.shape());
        }
    }

    /**
     * Declares a convolution as PyTorch's {@code nn.Conv2d} initializes it: kernel and bias uniform in
     * +-1/sqrt(fan-in).
     *
     * @param specs where to add the parameters
     * @param name scope of the layer, e.g. {@code encoder/conv0}
     * @param kernel kernel side
     * @param in input channels
     * @param out output channels
     * @param bias whether a bias is declared
     */
    public static void declareConv(List<ParamSpec> specs, String name, int kernel, int in, int out, boolean bias) {
        specs.add(ParamSpec.trainable(name + "/kernel", Shape.of(kernel, kernel, in, out), new Initializer.FanInUniform()));
        if (bias) {
            specs.add(ParamSpec.trainable(name + "/bias", Shape.of(out), new Initializer.Uniform(1.0 / Math.sqrt((double) kernel * kernel * in))));
        }
    }

    /**
     * Declares a dense layer with Glorot-uniform weights and zero bias (the Transformer convention).
     *
     * @param specs where to add the parameters
     * @param name scope of the layer
     * @param in input width
     * @param out output width
     */
    public static void declareDense(List<ParamSpec> specs, String name, int in, int out) {
        specs.add(ParamSpec.trainable(name + "/kernel", Shape.of(in, out), new Initializer.GlorotUniform()));
        specs.add(ParamSpec.trainable(name + "/bias", Shape.of(out), new Initializer.Zeros()));
    }

    /**
     * Declares the scale and shift of a normalization, and batch norm's running statistics.
     *
     * @param specs where to add the parameters
     * @param name scope of the layer
     * @param norm which normalization
     * @param channels normalized width
     */
    public static void declareNorm(List<ParamSpec> specs, String name, Norm norm, int channels) {
        if (norm == Norm.NONE) {
            return;
        }
        specs.add(ParamSpec.trainable(name + "/gamma", Shape.of(channels), new Initializer.Constant(1f)));
        specs.add(ParamSpec.trainable(name + "/beta", Shape.of(channels), new Initializer.Zeros()));
        if (norm == Norm.BATCH) {
            specs.add(ParamSpec.state(name + "/running_mean", Shape.of(channels), new Initializer.Zeros()));
            specs.add(ParamSpec.state(name + "/running_var", Shape.of(channels), new Initializer.Constant(1f)));
        }
    }

    // ---- forward --------------------------------------------------------------------------------

    /**
     * @param ops op set
     * @param v a [C] vector
     * @return v shaped to broadcast over the channel axis of an image activation
     */
    public static Tensor perChannel(Ops ops, Tensor v) {
        return ops.imageLayout() == ImageLayout.NHWC ? v : ops.reshape(v, Shape.of(1, v.shape().dim(0), 1, 1));
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param name layer scope
     * @param x activation in the backend layout
     * @param stride stride in both directions
     * @param bias whether to add the declared bias
     * @return the convolution (SAME padding)
     */
    public static Tensor conv(Ops ops, Params params, String name, Tensor x, int stride, boolean bias) {
        Tensor y = ops.conv2d(x, params.get(name + "/kernel"), stride, stride, Padding.SAME);
        return bias ? ops.add(y, perChannel(ops, params.get(name + "/bias"))) : y;
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param name layer scope
     * @param norm which normalization
     * @param groups groups of group normalization
     * @param x image activation in the backend layout
     * @param mode training (batch statistics, running averages updated) or evaluation
     * @return the normalized activation
     */
    public static Tensor normalizeImage(Ops ops, Params params, String name, Norm norm, int groups, Tensor x, Mode mode) {
        return switch (norm) {
            case NONE -> x;
            case BATCH -> batchNorm(ops, params, name, x, mode);
            case GROUP -> groupNorm(ops, params, name, groups, x);
            case LAYER -> throw new IllegalArgumentException("layer normalization applies to tokens, not images");
        };
    }

    private static Tensor batchNorm(Ops ops, Params params, String name, Tensor x, Mode mode) {
        int channelAxis = ops.imageLayout().channelAxis();
        int[] axes = channelAxis == 3 ? new int[] {0, 1, 2} : new int[] {0, 2, 3};
        int channels = x.shape().dim(channelAxis);
        Tensor mean;
        Tensor var;
        if (mode == Mode.TRAIN) {
            long count = x.shape().size() / channels;
            mean = ops.mean(x, axes, true);
            var = ops.mean(ops.square(ops.sub(x, mean)), axes, true);
            Tensor unbiased = ops.mul(var, ops.scalar(count > 1 ? count / (float) (count - 1) : 1f));
            Tensor keep = ops.scalar(1 - MOMENTUM);
            Tensor take = ops.scalar(MOMENTUM);
            String rm = name + "/running_mean";
            String rv = name + "/running_var";
            Shape flat = Shape.of(channels);
            params.assign(rm, ops.add(ops.mul(params.get(rm), keep), ops.mul(ops.reshape(ops.stopGradient(mean), flat), take)));
            params.assign(rv, ops.add(ops.mul(params.get(rv), keep), ops.mul(ops.reshape(ops.stopGradient(unbiased), flat), take)));
        } else {
            mean = perChannel(ops, params.get(name + "/running_mean"));
            var = perChannel(ops, params.get(name + "/running_var"));
        }
        Tensor normed = ops.mul(ops.sub(x, mean), ops.rsqrt(ops.add(var, ops.scalar(EPSILON))));
        return ops.add(ops.mul(normed, perChannel(ops, params.get(name + "/gamma"))), perChannel(ops, params.get(name + "/beta")));
    }

    private static Tensor groupNorm(Ops ops, Params params, String name, int groups, Tensor x) {
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
        Tensor normed = ops.reshape(ops.mul(centered, ops.rsqrt(ops.add(var, ops.scalar(EPSILON)))), x.shape());
        return ops.add(ops.mul(normed, perChannel(ops, params.get(name + "/gamma"))), perChannel(ops, params.get(name + "/beta")));
    }

    /**
     * @param ops op set
     * @param x image activation in the backend layout
     * @return the mean over the spatial axes, [N, C]
     */
    public static Tensor globalAveragePool(Ops ops, Tensor x) {
        return ops.mean(x, ops.imageLayout() == ImageLayout.NHWC ? new int[] {1, 2} : new int[] {2, 3}, false);
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param name layer scope
     * @param x [..., in]
     * @return x times the kernel plus the bias, [..., out]
     */
    public static Tensor dense(Ops ops, Params params, String name, Tensor x) {
        Tensor kernel = params.get(name + "/kernel");
        int in = kernel.shape().dim(0);
        int out = kernel.shape().dim(1);
        int[] d = x.shape().dims();
        Tensor flat = d.length == 2 ? x : ops.reshape(x, Shape.of(Math.toIntExact(x.shape().size() / in), in));
        Tensor y = ops.add(ops.matmul(flat, kernel), params.get(name + "/bias"));
        if (d.length == 2) {
            return y;
        }
        d[d.length - 1] = out;
        return ops.reshape(y, Shape.of(d));
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param name layer scope (declared with {@link Norm#LAYER})
     * @param x [..., D]
     * @return layer normalization over the last axis
     */
    public static Tensor layerNorm(Ops ops, Params params, String name, Tensor x) {
        int[] last = {-1};
        Tensor mean = ops.mean(x, last, true);
        Tensor centered = ops.sub(x, mean);
        Tensor var = ops.mean(ops.square(centered), last, true);
        Tensor normed = ops.mul(centered, ops.rsqrt(ops.add(var, ops.scalar(EPSILON))));
        return ops.add(ops.mul(normed, params.get(name + "/gamma")), params.get(name + "/beta"));
    }
}

package io.pretext.layers;

import io.pretext.api.ApiStatus;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Initializer;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Padding;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A 2-D convolution of image activations with a square kernel, initialized as PyTorch's
 * {@code nn.Conv2d}: kernel and bias uniform in +-1/sqrt(fan-in), fan-in = kernel * kernel * in.
 * Parameters {@code <name>/kernel} [kernel, kernel, in, out] (HWIO in every layout) and, with a
 * bias, {@code <name>/bias} [out]. A convolution followed by batch normalization usually has no
 * bias: the normalization's mean cancels it.
 *
 * @param name parameter-name prefix
 * @param kernel kernel side
 * @param in input channels
 * @param out output channels
 * @param stride stride in both directions
 * @param padding {@link Padding#SAME} or {@link Padding#VALID}
 * @param bias whether a bias is declared and added
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record Conv2d(String name, int kernel, int in, int out, int stride, Padding padding, boolean bias) implements Layer {

    /** Checks the sizes. */
    public Conv2d {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(padding, "padding");
        if (kernel < 1 || in < 1 || out < 1 || stride < 1) {
            throw new IllegalArgumentException("convolution '" + name + "' needs a positive kernel, widths and stride, got kernel "
                    + kernel + ", " + in + " -> " + out + ", stride " + stride);
        }
    }

    /**
     * @param name parameter-name prefix
     * @param kernel kernel side
     * @param in input channels
     * @param out output channels
     * @return a stride-1, SAME-padded convolution with a bias
     */
    public static Conv2d of(String name, int kernel, int in, int out) {
        return new Conv2d(name, kernel, in, out, 1, Padding.SAME, true);
    }

    /**
     * @param newStride stride in both directions
     * @return this convolution with another stride
     */
    public Conv2d withStride(int newStride) {
        return new Conv2d(name, kernel, in, out, newStride, padding, bias);
    }

    /**
     * @param withBias whether a bias is declared and added
     * @return this convolution with or without a bias
     */
    public Conv2d withBias(boolean withBias) {
        return new Conv2d(name, kernel, in, out, stride, padding, withBias);
    }

    @Override
    public List<ParamSpec> parameters() {
        List<ParamSpec> specs = new ArrayList<>(2);
        specs.add(ParamSpec.trainable(name + "/kernel", Shape.of(kernel, kernel, in, out), new Initializer.FanInUniform()));
        if (bias) {
            specs.add(ParamSpec.trainable(name + "/bias", Shape.of(out),
                    new Initializer.Uniform(1.0 / Math.sqrt((double) kernel * kernel * in))));
        }
        return List.copyOf(specs);
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param x image activation in the backend layout with {@code in} channels
     * @return the convolution, plus the bias if declared, in the backend layout with {@code out} channels
     * @throws ShapeException unless x is an image activation with {@code in} channels
     */
    public Tensor apply(Ops ops, Params params, Tensor x) {
        ImageAxes.require("conv2d", name, ops, x, in);
        Tensor y = ops.conv2d(x, params.get(name + "/kernel"), stride, stride, padding);
        return bias ? ops.add(y, ImageAxes.perChannel(ops, params.get(name + "/bias"))) : y;
    }
}

package io.pretext.vision.encoder;

import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Tensor;
import io.pretext.layers.Conv2d;
import io.pretext.layers.Normalization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A convolution followed by the encoder's normalization choice, the unit the cnn and resnet
 * encoders repeat. Without a normalization the convolution has a bias; before batch norm it has
 * none, since the batch mean cancels it.
 *
 * @param conv the convolution
 * @param norm the normalization after it, if any
 */
record ConvNorm(Conv2d conv, Optional<Normalization> norm) {

    /**
     * @param convName parameter-name prefix of the convolution
     * @param normName parameter-name prefix of the normalization
     * @param kernel kernel side
     * @param in input channels
     * @param out output channels
     * @param stride stride in both directions
     * @param bias whether the convolution has a bias
     * @param norm the normalization choice
     * @param groups groups of group normalization
     * @return the unit
     */
    static ConvNorm of(String convName, String normName, int kernel, int in, int out, int stride, boolean bias, Norm norm, int groups) {
        return new ConvNorm(Conv2d.of(convName, kernel, in, out).withStride(stride).withBias(bias), norm.layer(normName, out, groups));
    }

    /** @return the convolution's parameters, then the normalization's */
    List<ParamSpec> parameters() {
        List<ParamSpec> specs = new ArrayList<>(conv.parameters());
        norm.ifPresent(n -> specs.addAll(n.parameters()));
        return specs;
    }

    /**
     * @param ops op set
     * @param params parameters
     * @param x image activation in the backend layout
     * @param mode training or evaluation
     * @return the convolution, normalized
     */
    Tensor apply(Ops ops, Params params, Tensor x, Mode mode) {
        Tensor y = conv.apply(ops, params, x);
        return norm.isPresent() ? norm.get().apply(ops, params, y, mode) : y;
    }
}

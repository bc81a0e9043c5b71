package io.pretext.core.encoder;

import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Tensor;

/** Activations an MLP may use. */
enum Activation {
    RELU, GELU, TANH, SIGMOID;

    Tensor apply(Ops ops, Tensor x) {
        return switch (this) {
            case RELU -> ops.relu(x);
            case GELU -> ops.gelu(x);
            case TANH -> ops.tanh(x);
            case SIGMOID -> ops.sigmoid(x);
        };
    }
}

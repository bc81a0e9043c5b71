package io.pretext.api;

import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.List;

/**
 * A configured network: its parameters and its forward function, written once against
 * {@link Ops} and run by every backend (and traced for ONNX export).
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public interface EncoderModel {

    /** @return the prefix of every parameter name, e.g. {@code encoder} */
    String scope();

    /** @return the per-example input shape (no batch axis) */
    Shape inputShape();

    /** @return the per-example output shape (no batch axis) */
    Shape outputShape();

    /** @return the parameters, each named under {@link #scope()} */
    List<ParamSpec> parameters();

    /**
     * @param ops the backend's op set
     * @param params parameter handles
     * @param input a batch: [batch, ...inputShape]
     * @param mode training or evaluation
     * @return [batch, ...outputShape]
     */
    Tensor forward(Ops ops, Params params, Tensor input, Mode mode);
}

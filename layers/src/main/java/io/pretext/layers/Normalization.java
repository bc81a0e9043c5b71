package io.pretext.layers;

import io.pretext.api.ApiStatus;
import io.pretext.api.model.Mode;
import io.pretext.api.model.Params;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Tensor;

/**
 * A normalization layer with a learned scale ({@code <name>/gamma}) and shift ({@code <name>/beta}):
 * {@link LayerNorm}, {@link BatchNorm} or {@link GroupNorm}. A model that lets its user choose the
 * normalization holds one of these and calls {@link #apply} without caring which.
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public interface Normalization extends Layer {

    /**
     * @param ops op set
     * @param params parameters
     * @param x the activation
     * @param mode training or evaluation; only batch normalization tells them apart
     * @return the normalized activation, shaped as {@code x}
     */
    Tensor apply(Ops ops, Params params, Tensor x, Mode mode);
}

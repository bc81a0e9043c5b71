package io.pretext.layers;

import io.pretext.api.ApiStatus;
import io.pretext.api.model.Mode;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Tensor;

/**
 * Dropout in training only: in {@link Mode#TRAIN} each value is zeroed with probability
 * {@code rate} and the rest scaled by 1 / (1 - rate) ({@link Ops#dropout}); in evaluation, and at
 * rate 0, the input passes through untouched (no op is added). No parameters.
 *
 * @param rate the probability of zeroing a value, in [0, 1)
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record Dropout(float rate) {

    /** Checks the rate. */
    public Dropout {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }
    }

    /**
     * @param ops op set
     * @param x any activation
     * @param mode training (dropout applied) or evaluation (x returned)
     * @return x with dropout applied in training
     */
    public Tensor apply(Ops ops, Tensor x, Mode mode) {
        return mode == Mode.TRAIN && rate > 0 ? ops.dropout(x, rate) : x;
    }
}

package io.pretext.api.model;

import io.pretext.api.ApiStatus;
import io.pretext.api.tensor.Tensor;

/** The parameters as seen from inside model code: backend handles by name. */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public interface Params {
    /**
     * @param name a declared parameter name
     * @return its handle
     * @throws IllegalArgumentException naming the declared parameters when absent
     */
    Tensor get(String name);

    /**
     * Replaces the value of a non-trainable state parameter after the step (batch-norm running
     * statistics). Ignored outside training.
     *
     * @param name a parameter declared with {@link ParamSpec#state}
     * @param newValue its new value, same shape
     */
    void assign(String name, Tensor newValue);
}

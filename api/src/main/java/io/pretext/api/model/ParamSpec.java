package io.pretext.api.model;

import io.pretext.api.ApiStatus;
import io.pretext.api.tensor.Shape;
import java.util.Objects;

/**
 * A named float32 parameter a component declares.
 *
 * @param name unique, slash-separated name, e.g. {@code encoder/layer0/kernel}
 * @param shape the parameter's shape (canonical layout: dense kernels [in, out], filters HWIO)
 * @param initializer how its first values are drawn
 * @param trainable false for state such as batch-norm running statistics, which model code
 *     updates through {@link Params#assign} instead of the optimizer
 */
@ApiStatus(ApiStatus.Status.STABLE)
public record ParamSpec(String name, Shape shape, Initializer initializer, boolean trainable) {

    /** Checks the name. */
    public ParamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(initializer, "initializer");
        if (name.isBlank() || name.startsWith("/") || name.endsWith("/")) {
            throw new IllegalArgumentException("bad parameter name '" + name + "'");
        }
    }

    /**
     * The contract of {@link Params#assign}, checked the same way by every backend: only a state
     * parameter may be assigned, and only a float32 value of its own shape.
     *
     * @param newValue the value model code assigns
     * @throws IllegalArgumentException when this parameter is trainable
     * @throws io.pretext.api.error.ShapeException when the value's dtype or shape differs
     */
    @ApiStatus(ApiStatus.Status.EXPERIMENTAL)
    public void checkAssignable(io.pretext.api.tensor.Tensor newValue) {
        if (trainable) {
            throw new IllegalArgumentException("parameter '" + name + "' is trainable; only state parameters (ParamSpec.state) "
                    + "can be assigned");
        }
        if (!newValue.shape().equals(shape) || newValue.dtype() != io.pretext.api.tensor.DType.FLOAT32) {
            throw new io.pretext.api.error.ShapeException("assign", "parameter '" + name + "' is FLOAT32" + shape + ", got "
                    + newValue.dtype() + newValue.shape());
        }
    }

    /**
     * @param name parameter name
     * @param shape its shape
     * @param initializer its initializer
     * @return a trainable parameter
     */
    public static ParamSpec trainable(String name, Shape shape, Initializer initializer) {
        return new ParamSpec(name, shape, initializer, true);
    }

    /**
     * @param name parameter name
     * @param shape its shape
     * @param initializer its initializer
     * @return a state parameter (not trained by the optimizer)
     */
    public static ParamSpec state(String name, Shape shape, Initializer initializer) {
        return new ParamSpec(name, shape, initializer, false);
    }
}

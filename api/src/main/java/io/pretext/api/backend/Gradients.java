package io.pretext.api.backend;

import io.pretext.api.ApiStatus;
import io.pretext.api.model.ParameterSet;

/**
 * The loss and its gradient with respect to every trainable parameter, at the current parameters,
 * without an update. Used by conformance and cross-backend tests.
 *
 * @param loss the loss value
 * @param gradients one gradient per trainable parameter, same names and shapes
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record Gradients(double loss, ParameterSet gradients) {
}

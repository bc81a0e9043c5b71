/** Shapes, dtypes, host tensors and the backend-neutral {@link io.pretext.api.tensor.Ops} op set. */
package io.pretext.api.tensor;

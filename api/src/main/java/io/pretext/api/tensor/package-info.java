/**
 * Shapes, dtypes, host tensors and the backend-neutral op set: {@link io.pretext.api.tensor.Ops},
 * the checked front door model code calls, over the {@link io.pretext.api.tensor.Kernels} each
 * backend implements; {@link io.pretext.api.tensor.ShapeOps} runs model code on shapes alone.
 */
package io.pretext.api.tensor;

/**
 * The layer library: layers written once against {@link io.pretext.api.tensor.Ops}, so that the
 * encoders and heads of every plugin share one implementation of each.
 *
 * <p>Each layer is a small immutable value that knows its parameter-name prefix ({@link Layer#name()})
 * and its shapes. It declares its parameters as {@link io.pretext.api.model.ParamSpec}s with
 * PyTorch's initializers ({@link Layer#parameters()}), and its {@code apply} method computes with
 * {@code Ops} alone, reading the parameters by name from {@link io.pretext.api.model.Params}. A
 * model adds its layers' parameters to its own {@link io.pretext.api.EncoderModel#parameters()} in
 * the order it declares them and calls {@code apply} in its forward function:
 *
 * <pre>{@code
 * Dense hidden = Dense.linear("encoder/dense0", 16, 64);
 * LayerNorm norm = LayerNorm.of("encoder/dense0", 64);
 * // parameters: hidden.parameters() then norm.parameters()
 * Tensor y = ops.relu(norm.apply(ops, params, hidden.apply(ops, params, x)));
 * }</pre>
 *
 * <p>Parameter names are part of a model's contract: they seed each parameter's initial values
 * ({@link io.pretext.api.model.ParameterSet#initialize}) and key its checkpoints. A layer's
 * parameter names are its {@code name} followed by a fixed suffix ({@code /kernel},
 * {@code /gamma}, ...), documented on each layer.
 *
 * <p>Image activations (rank 4) are in the backend's {@link io.pretext.api.tensor.Ops#imageLayout()};
 * convolution filters are HWIO and per-channel vectors are [C], in every layout. Token sequences
 * are [batch, tokens, width].
 */
package io.pretext.layers;

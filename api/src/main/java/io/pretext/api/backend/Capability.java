package io.pretext.api.backend;

import io.pretext.api.ApiStatus;

/** What a backend can do; the runtime refuses a recipe early when the chosen backend lacks one. */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public enum Capability {
    /** Compile and run training steps (forward, gradients, optimizer update). */
    TRAINING,
    /** Run a forward pass to produce embeddings or logits. */
    INFERENCE,
    /** Write an encoder as an ONNX model. */
    EXPORT_ONNX,
    /** Use a GPU when one is present. */
    GPU
}

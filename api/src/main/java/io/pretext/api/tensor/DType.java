package io.pretext.api.tensor;

/** Element types a tensor can hold. The set is closed: every backend implements each one. */
@io.pretext.api.ApiStatus(io.pretext.api.ApiStatus.Status.STABLE)
public enum DType {
    /** 32-bit IEEE float: parameters, activations, losses. */
    FLOAT32,
    /** 32-bit signed integer: class labels, token ids, gather indices. */
    INT32,
    /** 64-bit signed integer: large indices. */
    INT64
}

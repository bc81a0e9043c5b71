package io.pretext.core.encoder;

/** Normalizations an MLP may insert before each activation. */
enum Normalization {
    NONE, BATCH, LAYER
}

/**
 * Encoders for small images (28x28 to 64x64, and the 8x8 digits): a plain CNN (the SimCLR digits
 * reference's by default), a small ResNet with batch or group normalization, and a small Vision
 * Transformer (patch embedding + pre-norm Transformer encoder) that the masked autoencoder drives
 * token by token. All are built from the layer library ({@code io.pretext.layers}); what is here is
 * the image glue: the input check, patches, and the choice of normalization. Activations live in
 * the backend's {@link io.pretext.api.tensor.Ops#imageLayout()}, filters are HWIO.
 */
package io.pretext.vision.encoder;

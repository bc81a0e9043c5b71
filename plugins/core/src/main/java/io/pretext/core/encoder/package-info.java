/** Modality-free networks: the MLP used as table encoder and as every head. */
package io.pretext.core.encoder;

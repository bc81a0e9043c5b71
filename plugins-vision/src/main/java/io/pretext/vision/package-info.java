/**
 * The vision plugin: image data sources, host-side image augmentations, convolutional and
 * Transformer encoders for small images, and self-supervised tasks for images.
 */
package io.pretext.vision;

/**
 * Self-supervised tasks for images: SimCLR (two augmented views, projection head, any pair loss),
 * the masked autoencoder (mask patches, encode the visible ones with the ViT, reconstruct the
 * masked ones), an image denoising autoencoder, and rotation prediction.
 */
package io.pretext.vision.task;

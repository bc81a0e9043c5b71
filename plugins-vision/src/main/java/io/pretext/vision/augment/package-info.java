/**
 * Host-side image augmentations, each an {@link io.pretext.api.Augmentation} provider: random
 * resized crop, horizontal flip, random affine (small rotation, translation and zoom), colour
 * jitter, greyscale, Gaussian blur, solarization, Gaussian noise and cutout; and
 * {@link io.pretext.vision.augment.ViewPipeline}, which composes them per view as SimCLR does.
 *
 * <p>All draw only from the random stream they are given (the same seed gives the same view),
 * keep pixels in [0, 1], keep the image's shape, and are the identity at zero strength. Inside a
 * view pipeline they work in place on a per-thread {@link io.pretext.vision.augment.Canvas}, so
 * a view costs no allocation beyond the batch it is written into.
 */
package io.pretext.vision.augment;

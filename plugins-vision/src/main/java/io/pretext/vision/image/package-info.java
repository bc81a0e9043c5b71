/**
 * Pixels: decoding image files with ImageIO (warnings are errors, so truncated files are caught),
 * conversion between channel counts, and antialiased resampling to the recipe's size.
 */
package io.pretext.vision.image;

/**
 * Image data sources: a folder of image files (class = sub-folder), IDX files (the MNIST
 * format, gzip or not) and images stored as rows of pixel values in a CSV (the 8x8 digits).
 * Every source brings its images to the recipe's size and channel count, reports a corrupt or
 * truncated image with its path (fatal or skipped, as the recipe says), and fingerprints its
 * files with SHA-256 for provenance.
 */
package io.pretext.vision.source;

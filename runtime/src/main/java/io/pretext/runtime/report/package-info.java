/**
 * Pictures of a run, drawn with Java2D into PNG files (headless): the loss curve from
 * {@code metrics.jsonl}, and a 2-D PCA projection of the test embeddings coloured by label.
 */
package io.pretext.runtime.report;

/**
 * Embedding at scale and encoder export: streaming writers (CSV and NumPy {@code .npy}), the
 * batched embedding pass over a data source of any size (encoder file on an inference backend, a
 * Pretext ONNX model, or a foreign ONNX model on plain numeric columns), and the export of an
 * encoder file to ONNX with its recipe, provenance and preprocessing in the model's metadata.
 */
package io.pretext.runtime.embed;

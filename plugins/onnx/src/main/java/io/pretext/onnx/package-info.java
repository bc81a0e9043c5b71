/**
 * Backend {@code onnx}: the op layer traced into ONNX graphs and run by ONNX Runtime. Tracing is
 * how an encoder is exported (its own forward function recorded, parameters as initializers, a
 * dynamic batch axis) and how inference programs are compiled; {@code openOnnx} serves any ONNX
 * file, Pretext's or not. Inference only: ONNX Runtime's Java builds cannot train.
 */
package io.pretext.onnx;

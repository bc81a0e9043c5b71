package io.pretext.onnx;

import ai.onnx.proto.OnnxMl;
import io.pretext.api.backend.OnnxModel;
import io.pretext.api.error.PretextException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Forward;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Export by tracing: the forward function runs once on {@link TracingKernels} with a symbolic batch
 * axis, and what it recorded is written as an ONNX model with the parameters as initializers.
 */
final class OnnxExporter {

    /** Metadata key naming the exporter and the opset. */
    static final String EXPORTER_KEY = "pretext.exporter";

    private OnnxExporter() {
    }

    /**
     * Traces and builds the model.
     *
     * @param parameters the declared parameters
     * @param values their values
     * @param inputShape per-example input shape
     * @param forward the function; reads {@link OnnxModel#INPUT}
     * @param metadata metadata properties to store
     * @param producerVersion the plugin's version
     * @return the model
     */
    static OnnxMl.ModelProto trace(List<ParamSpec> parameters, ParameterSet values, Shape inputShape, Forward forward,
                                   Map<String, String> metadata, String producerVersion) {
        try {
            values.checkMatches(parameters);
        } catch (IllegalArgumentException e) {
            throw new PretextException("cannot export: " + e.getMessage(), e);
        }
        GraphBuilder graph = new GraphBuilder("pretext-encoder");
        Traced input = new Traced(OnnxModel.INPUT, inputShape.prepend(TracingKernels.TRACE_BATCH), DType.FLOAT32, 0);
        Trace trace = new Trace(graph, parameters, values, Map.of(OnnxModel.INPUT, input));
        List<Trace.Output> outputs = trace.run(forward, new io.pretext.api.tensor.Ops(new TracingKernels(graph, true, 0L)), true);
        if (outputs.isEmpty()) {
            throw new PretextException("cannot export: the function has no outputs");
        }
        graph.input(OnnxModel.INPUT, DType.FLOAT32, dynamicFirst(input.shape()));
        for (Trace.Output o : outputs) {
            Traced v = o.value();
            if (v.batchAxis() != 0 || v.shape().dim(0) != TracingKernels.TRACE_BATCH) {
                throw new ShapeException("export", "output '" + o.name() + "' does not have the batch as its first axis (traced shape "
                        + v.shape() + " for a batch of " + TracingKernels.TRACE_BATCH + ")");
            }
            graph.output(o.graphName(), v.dtype(), dynamicFirst(v.shape()));
        }
        Map<String, String> props = new LinkedHashMap<>(metadata);
        props.put(EXPORTER_KEY, "pretext-plugin-onnx " + producerVersion + ", opset " + GraphBuilder.OPSET);
        return graph.model(producerVersion, props);
    }

    private static int[] dynamicFirst(Shape shape) {
        int[] d = shape.dims();
        d[0] = -1;
        return d;
    }

    /**
     * Writes a model so that a reader sees the old file or the new one, never half of it.
     *
     * @param model the model
     * @param file the target
     */
    static void write(OnnxMl.ModelProto model, Path file) {
        Path target = file.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            // createFile, not createTempFile: the model gets the usual permissions (umask), not owner-only.
            tmp = Files.createFile(target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp"));
            try (OutputStream out = Files.newOutputStream(tmp)) {
                model.writeTo(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one to report
                }
            }
            throw new PretextException("cannot write ONNX model " + target + ": " + e.getMessage(), e);
        }
    }
}

package io.pretext.api.backend;

import io.pretext.api.ApiStatus;
import io.pretext.api.tensor.DType;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An ONNX model file opened for inference by {@link BackendSession#openOnnx}: one written by
 * {@link BackendSession#exportOnnx}, or one from any other producer (PyTorch, converters).
 * {@link #run} feeds each tensor of the batch to the model input of the same name and returns
 * every output whose element type Pretext has a {@link DType} for.
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public interface OnnxModel extends InferenceProgram {

    /** Name of the input of an encoder exported by {@link BackendSession#exportOnnx}: a batch of encoder inputs. */
    String INPUT = "input";

    /** Name of the output of an encoder exported by {@link BackendSession#exportOnnx}: the batch's embeddings. */
    String OUTPUT = "embedding";

    /** @return the inputs the model must be fed, in graph order */
    List<Port> inputs();

    /** @return the model's outputs, in graph order */
    List<Port> outputs();

    /** @return the model's metadata properties (the producer's key/value strings; empty when it wrote none) */
    Map<String, String> metadata();

    /**
     * One input or output of a model.
     *
     * @param name the graph's name for it
     * @param dtype its element type, or empty when Pretext has no counterpart (it can then be neither fed nor fetched)
     * @param dims its dimensions, outermost first; -1 where the size is fixed only at run time (a dynamic batch axis)
     */
    record Port(String name, Optional<DType> dtype, List<Long> dims) {
        /** Checks and copies. */
        public Port {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dtype, "dtype");
            dims = List.copyOf(dims);
        }
    }
}

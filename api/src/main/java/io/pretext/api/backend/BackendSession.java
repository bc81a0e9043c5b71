package io.pretext.api.backend;

import io.pretext.api.ApiStatus;
import io.pretext.api.error.CapabilityException;
import io.pretext.api.model.Forward;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.tensor.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An opened backend: native libraries loaded, thread pools configured. Compiles model functions
 * written against {@link io.pretext.api.tensor.Ops} into programs. Closing it closes every program
 * it compiled.
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public interface BackendSession extends AutoCloseable {

    /**
     * @param parameters every parameter the objective reads
     * @param objective the loss to minimize
     * @param config optimizer, schedule and clipping
     * @param initial starting values for every parameter (initialized in Java from a seed)
     * @return a program that trains the parameters
     * @throws io.pretext.api.error.CapabilityException when this backend cannot train
     */
    TrainingProgram compileTraining(List<ParamSpec> parameters, Objective objective, TrainingConfig config, ParameterSet initial);

    /**
     * @param parameters every parameter the function reads
     * @param forward the function
     * @param values parameter values
     * @return a program that runs the function in evaluation mode
     */
    InferenceProgram compileInference(List<ParamSpec> parameters, Forward forward, ParameterSet values);

    /**
     * Writes a forward function, typically an encoder's {@code forward} in evaluation mode, as an
     * ONNX model. The model is that function recorded by the backend's op set, never a
     * re-implementation: one float32 input {@value OnnxModel#INPUT} of shape [batch, ...inputShape]
     * whose batch axis is dynamic, the function's outputs under their names (the runtime exports
     * encoders with one output {@value OnnxModel#OUTPUT}), the parameters as initializers, and
     * {@code metadata} as the model's metadata properties. The file is replaced atomically.
     * Offered by backends that declare {@link Capability#EXPORT_ONNX}.
     *
     * @param parameters every parameter the function reads
     * @param values their values
     * @param inputShape the per-example shape of the input (no batch axis)
     * @param forward the function; it reads input {@value OnnxModel#INPUT} and returns outputs whose first axis is the batch
     * @param metadata key/value strings to store in the model (recipe, provenance, preprocessing)
     * @param file where to write the model
     * @throws CapabilityException when this backend cannot write ONNX (the default)
     * @throws io.pretext.api.error.PretextException when the function cannot be expressed with a dynamic batch axis,
     *     or the file cannot be written
     */
    default void exportOnnx(List<ParamSpec> parameters, ParameterSet values, Shape inputShape, Forward forward,
                            Map<String, String> metadata, Path file) {
        throw new CapabilityException("this backend cannot write ONNX models; use a backend that declares EXPORT_ONNX (onnx)");
    }

    /**
     * Opens an ONNX model file for inference, whether Pretext wrote it or not. Offered by backends
     * that declare {@link Capability#EXPORT_ONNX}. Closing the session closes the model.
     *
     * @param file an ONNX model
     * @return the model, ready to run
     * @throws CapabilityException when this backend cannot run ONNX models (the default)
     * @throws io.pretext.api.error.PretextException naming the file when it is missing, truncated or not a valid model
     */
    default OnnxModel openOnnx(Path file) {
        throw new CapabilityException("this backend cannot run ONNX models; use a backend that declares EXPORT_ONNX (onnx)");
    }

    /** Releases all native resources this session holds. */
    @Override
    void close();
}

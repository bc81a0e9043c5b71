package io.pretext.api.backend;

import io.pretext.api.model.Forward;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.optim.TrainingConfig;
import java.util.List;

/**
 * An opened backend: native libraries loaded, thread pools configured. Compiles model functions
 * written against {@link io.pretext.api.tensor.Ops} into programs. Closing it closes every program
 * it compiled.
 */
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

    /** Releases all native resources this session holds. */
    @Override
    void close();
}

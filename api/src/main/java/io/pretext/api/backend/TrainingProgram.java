package io.pretext.api.backend;

import io.pretext.api.ApiStatus;
import io.pretext.api.model.Batch;
import io.pretext.api.model.ParameterSet;

/**
 * A compiled training step over an {@link io.pretext.api.model.Objective}. The backend compiles once
 * per input signature (names, dtypes and shapes of the batch) and afterwards only runs; parameters
 * and optimizer state live inside the backend between steps. Not thread-safe: one training loop
 * drives it.
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public interface TrainingProgram extends AutoCloseable {

    /**
     * Forward, loss, gradients and optimizer update for one batch.
     *
     * @param batch the prepared batch
     * @return the loss before the update and the objective's diagnostics
     */
    StepResult step(Batch batch);

    /**
     * @param batch a prepared batch
     * @return loss and gradients at the current parameters, without updating them
     */
    Gradients gradients(Batch batch);

    /** @return the current parameters, copied to Java memory */
    ParameterSet parameters();

    /** @return parameters, optimizer slots and step count, for a checkpoint */
    TrainingState state();

    /**
     * Replaces parameters, optimizer slots and step count, e.g. to resume a checkpoint written by
     * any backend. Implementations load {@link TrainingState#variables} so that every backend reads
     * a state alike: absent slots start at zero, slots the optimizer does not use are ignored.
     *
     * @param state the state to continue from
     * @throws IllegalArgumentException if a parameter or slot is missing or mis-shaped, or the step
     *     is negative; the program is then left as it was
     */
    void restore(TrainingState state);

    /** Releases native resources deterministically. */
    @Override
    void close();
}

package io.pretext.api.backend;

import io.pretext.api.ApiStatus;
import io.pretext.api.model.Batch;
import io.pretext.api.tensor.HostTensor;
import java.util.Map;

/**
 * A compiled forward function with fixed parameters, run batch after batch (embedding, probing).
 * Compiled once per input signature.
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public interface InferenceProgram extends AutoCloseable {

    /**
     * @param batch the inputs
     * @return the forward function's outputs, copied to Java memory
     */
    Map<String, HostTensor> run(Batch batch);

    /** Releases native resources deterministically. */
    @Override
    void close();
}

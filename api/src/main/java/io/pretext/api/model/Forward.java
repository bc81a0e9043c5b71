package io.pretext.api.model;

import io.pretext.api.ApiStatus;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Tensor;
import java.util.Map;

/** An inference function: named outputs (embeddings, logits) from parameters and a batch. */
@FunctionalInterface
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public interface Forward {
    /**
     * @param ops the backend's op set
     * @param params the parameters
     * @param inputs the batch
     * @return outputs by name
     */
    Map<String, Tensor> apply(Ops ops, Params params, Inputs inputs);
}

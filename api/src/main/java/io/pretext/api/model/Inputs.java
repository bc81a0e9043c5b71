package io.pretext.api.model;

import io.pretext.api.ApiStatus;
import io.pretext.api.tensor.Tensor;
import java.util.Set;

/** A batch as seen from inside model code: backend handles by input name. */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public interface Inputs {
    /**
     * @param name an input name the batch carries
     * @return its handle
     * @throws IllegalArgumentException naming the inputs the batch has
     */
    Tensor get(String name);

    /** @return the input names */
    Set<String> names();
}

package io.pretext.api.model;

import io.pretext.api.ApiStatus;
import io.pretext.api.tensor.Tensor;
import java.util.Map;

/**
 * A scalar loss plus named scalar diagnostics (loss terms, accuracy, embedding spread) computed in
 * the same step.
 *
 * @param loss the scalar to minimize
 * @param metrics named scalars reported alongside, not differentiated
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record LossOutput(Tensor loss, Map<String, Tensor> metrics) {
    /** Copies the metrics. */
    public LossOutput {
        metrics = Map.copyOf(metrics);
    }

    /**
     * @param loss the scalar loss
     * @return an output without diagnostics
     */
    public static LossOutput of(Tensor loss) {
        return new LossOutput(loss, Map.of());
    }
}

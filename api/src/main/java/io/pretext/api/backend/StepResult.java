package io.pretext.api.backend;

import io.pretext.api.ApiStatus;
import java.util.Map;

/**
 * What one training step reports.
 *
 * @param step the zero-based optimizer step that was applied
 * @param loss the loss before the update
 * @param metrics the objective's diagnostics for this batch
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record StepResult(long step, double loss, Map<String, Double> metrics) {
    /** Copies the metrics. */
    public StepResult {
        metrics = Map.copyOf(metrics);
    }
}

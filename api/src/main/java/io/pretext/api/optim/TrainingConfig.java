package io.pretext.api.optim;

import io.pretext.api.ApiStatus;
import java.util.Objects;

/**
 * Everything a backend needs to compile the update half of a training step.
 *
 * @param optimizer the update rule
 * @param schedule the learning-rate factor per step
 * @param clipGlobalNorm clip gradients to this global L2 norm; 0 disables clipping
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record TrainingConfig(OptimizerSpec optimizer, LearningRateSchedule schedule, double clipGlobalNorm) {
    /** Checks the arguments. */
    public TrainingConfig {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        if (clipGlobalNorm < 0 || Double.isNaN(clipGlobalNorm)) {
            throw new IllegalArgumentException("clipGlobalNorm must be >= 0, got " + clipGlobalNorm);
        }
    }

    /**
     * @param optimizer the update rule
     * @return a config with a constant rate and no clipping
     */
    public static TrainingConfig of(OptimizerSpec optimizer) {
        return new TrainingConfig(optimizer, LearningRateSchedule.constant(), 0);
    }
}

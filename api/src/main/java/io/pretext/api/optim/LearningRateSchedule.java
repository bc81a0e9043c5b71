package io.pretext.api.optim;

import io.pretext.api.ApiStatus;

/**
 * The factor applied to the base learning rate at each step: a linear warm-up from 0, then
 * constant or cosine decay to {@code finalFraction} at {@code totalSteps}. Computed in Java and fed
 * to the compiled step as a scalar, so changing it never rebuilds a graph.
 *
 * @param decay what happens after warm-up
 * @param warmupSteps steps of linear warm-up (0 for none)
 * @param totalSteps the step at which cosine decay ends (ignored for constant)
 * @param finalFraction factor reached at the end of the decay
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record LearningRateSchedule(Decay decay, long warmupSteps, long totalSteps, double finalFraction) {

    /** Shape of the schedule after warm-up. */
    public enum Decay {
        /** Keep the base rate. */
        CONSTANT,
        /** Half-cosine from 1 to {@code finalFraction}. */
        COSINE
    }

    /** Checks ranges. */
    public LearningRateSchedule {
        if (warmupSteps < 0 || totalSteps < 0) {
            throw new IllegalArgumentException("warm-up and total steps must be >= 0");
        }
        if (finalFraction < 0 || finalFraction > 1) {
            throw new IllegalArgumentException("final fraction must be in [0, 1], got " + finalFraction);
        }
    }

    /** @return a schedule that always returns 1 */
    public static LearningRateSchedule constant() {
        return new LearningRateSchedule(Decay.CONSTANT, 0, 0, 1.0);
    }

    /**
     * @param warmupSteps steps of linear warm-up
     * @param totalSteps step at which the decay reaches its end
     * @return warm-up followed by cosine decay to zero
     */
    public static LearningRateSchedule warmupCosine(long warmupSteps, long totalSteps) {
        return new LearningRateSchedule(Decay.COSINE, warmupSteps, totalSteps, 0.0);
    }

    /**
     * @param step zero-based optimizer step
     * @return the factor for that step
     */
    public double factor(long step) {
        if (step < warmupSteps) {
            return (step + 1) / (double) warmupSteps;
        }
        if (decay == Decay.CONSTANT || totalSteps <= warmupSteps) {
            return 1.0;
        }
        double progress = Math.min(1.0, (step - warmupSteps) / (double) (totalSteps - warmupSteps));
        return finalFraction + (1 - finalFraction) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}

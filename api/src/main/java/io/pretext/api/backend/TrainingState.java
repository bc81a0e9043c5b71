package io.pretext.api.backend;

import io.pretext.api.model.ParameterSet;

/**
 * Everything needed to resume training on any backend: the parameters, the optimizer's slots
 * under canonical names ({@code <param>/momentum}, {@code <param>/adam_m}, {@code <param>/adam_v}),
 * and the number of steps taken.
 *
 * @param parameters model parameters (trainable and state)
 * @param optimizerSlots optimizer accumulators by canonical name
 * @param step the number of optimizer steps taken so far
 */
public record TrainingState(ParameterSet parameters, ParameterSet optimizerSlots, long step) {

    /**
     * The canonical name of an optimizer slot of a parameter.
     *
     * @param parameter the parameter's name
     * @param slot one of {@link io.pretext.api.optim.OptimizerSpec#slots()}
     * @return {@code parameter/slot}, e.g. {@code encoder/dense0/kernel/adam_m}
     */
    public static String slotName(String parameter, String slot) {
        return parameter + "/" + slot;
    }
}

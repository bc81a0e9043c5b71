package io.pretext.api.backend;

import io.pretext.api.ApiStatus;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.tensor.HostTensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything needed to resume training on any backend: the parameters, the optimizer's slots
 * under canonical names ({@code <param>/momentum}, {@code <param>/adam_m}, {@code <param>/adam_v}),
 * and the number of steps taken.
 *
 * @param parameters model parameters (trainable and state)
 * @param optimizerSlots optimizer accumulators by canonical name
 * @param step the number of optimizer steps taken so far
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record TrainingState(ParameterSet parameters, ParameterSet optimizerSlots, long step) {

    /**
     * A state before the first step: the given parameters, no optimizer slots, step 0.
     *
     * @param parameters the initial parameters
     * @return the state a training program starts from
     */
    public static TrainingState start(ParameterSet parameters) {
        return new TrainingState(parameters, new ParameterSet(Map.of()), 0);
    }

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

    /**
     * The names of the optimizer slots a program keeps: for each trainable parameter in order,
     * each of the optimizer's {@link OptimizerSpec#slots()}.
     *
     * @param parameters the program's parameters
     * @param optimizer the program's optimizer
     * @return slot names in that order
     */
    public static List<String> slotNames(List<ParamSpec> parameters, OptimizerSpec optimizer) {
        List<String> out = new ArrayList<>();
        for (ParamSpec p : parameters) {
            if (p.trainable()) {
                for (String slot : optimizer.slots()) {
                    out.add(slotName(p.name(), slot));
                }
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Every variable a training program holds for this state, so that each backend loads a state
     * the same way: each parameter's value in the order given, then each slot of
     * {@link #slotNames(List, OptimizerSpec)}, taken from this state or zero where the state has
     * none (a fresh start, or a state saved under an optimizer without that slot). Slots of this
     * state that the optimizer does not use are left out; {@link #unusedSlots} names them.
     *
     * @param parameters the program's parameters
     * @param optimizer the program's optimizer
     * @return values by variable name, parameters first
     * @throws IllegalArgumentException if a parameter is missing or mis-shaped, a slot's shape is
     *     not its parameter's, or the step is negative
     */
    public Map<String, HostTensor.Floats> variables(List<ParamSpec> parameters, OptimizerSpec optimizer) {
        parameters().checkMatches(parameters);
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        Map<String, HostTensor.Floats> out = new LinkedHashMap<>();
        parameters.forEach(p -> out.put(p.name(), parameters().get(p.name())));
        for (ParamSpec p : parameters) {
            if (!p.trainable()) {
                continue;
            }
            for (String slot : optimizer.slots()) {
                String name = slotName(p.name(), slot);
                HostTensor.Floats saved = optimizerSlots.asMap().get(name);
                if (saved == null) {
                    out.put(name, HostTensor.of(p.shape(), new float[Math.toIntExact(p.shape().size())]));
                } else if (!saved.shape().equals(p.shape())) {
                    throw new IllegalArgumentException("optimizer slot '" + name + "' has shape " + saved.shape()
                            + ", its parameter has " + p.shape());
                } else {
                    out.put(name, saved);
                }
            }
        }
        return out;
    }

    /**
     * @param parameters the program's parameters
     * @param optimizer the program's optimizer
     * @return the names of this state's slots that {@link #variables} leaves out, in this state's order
     */
    public List<String> unusedSlots(List<ParamSpec> parameters, OptimizerSpec optimizer) {
        Set<String> used = new HashSet<>(slotNames(parameters, optimizer));
        return optimizerSlots.names().stream().filter(n -> !used.contains(n)).toList();
    }
}

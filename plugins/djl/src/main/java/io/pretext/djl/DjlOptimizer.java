package io.pretext.djl;

import ai.djl.ndarray.NDArray;
import io.pretext.api.backend.TrainingState;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The update half of a training step, in place on the stored parameters and slots, with PyTorch's
 * formulas (those of {@code torch.optim} and {@code clip_grad_norm_}). It computes the same things
 * in the same order as the TensorFlow backend's fused kernels: Adam's bias correction folded into
 * the rate and epsilon ({@code lr * sqrt(1 - b2^t) / (1 - b1^t)} and {@code eps * sqrt(1 - b2^t)}),
 * AdamW's decoupled decay {@code w -= lr * weightDecay * w} before the Adam step, SGD's weight decay
 * added to the clipped gradient. Every hyper-parameter reaches PyTorch as a step-long scalar array.
 */
final class DjlOptimizer {
    /** PyTorch's clip_grad_norm_ guard: coefficient = maxNorm / (norm + 1e-6), at most 1. */
    private static final float CLIP_EPSILON = 1e-6f;

    private final TrainingConfig config;

    /** @param config optimizer, schedule and clipping */
    DjlOptimizer(TrainingConfig config) {
        this.config = config;
    }

    /**
     * Applies one update.
     *
     * @param scope the step (scalars and temporaries live there)
     * @param zeroBasedStep the step being applied, for the schedule and bias correction
     * @param weights stored parameter arrays by name, updated in place
     * @param gradients each parameter's gradient (step arrays); parameters without one are left alone
     * @param slot stored slot array by canonical name, updated in place
     */
    void apply(StepScope scope, long zeroBasedStep, Map<String, NDArray> weights, Map<String, NDArray> gradients,
               Function<String, NDArray> slot) {
        if (gradients.isEmpty()) {
            return;
        }
        Map<String, NDArray> grads = clip(scope, gradients);
        OptimizerSpec optimizer = config.optimizer();
        double lr = optimizer.learningRate() * config.schedule().factor(zeroBasedStep);
        if (optimizer instanceof OptimizerSpec.Sgd sgd) {
            NDArray rate = s(scope, lr);
            NDArray decay = s(scope, sgd.weightDecay());
            NDArray momentum = s(scope, sgd.momentum());
            grads.forEach((name, g) -> {
                NDArray w = weights.get(name);
                NDArray d = sgd.weightDecay() > 0 ? scope.own(g.add(scope.own(w.mul(decay)))) : g;
                if (sgd.momentum() > 0) {
                    NDArray buffer = slot.apply(TrainingState.slotName(name, OptimizerSpec.MOMENTUM));
                    buffer.muli(momentum).addi(d);
                    d = sgd.nesterov() ? scope.own(d.add(scope.own(buffer.mul(momentum)))) : buffer;
                }
                w.subi(scope.own(d.mul(rate)));
            });
            return;
        }
        double beta1;
        double beta2;
        double epsilon;
        double weightDecay = 0;
        if (optimizer instanceof OptimizerSpec.AdamW w) {
            beta1 = w.beta1();
            beta2 = w.beta2();
            epsilon = w.epsilon();
            weightDecay = w.weightDecay();
        } else {
            OptimizerSpec.Adam a = (OptimizerSpec.Adam) optimizer;
            beta1 = a.beta1();
            beta2 = a.beta2();
            epsilon = a.epsilon();
        }
        double t = zeroBasedStep + 1;
        double root2 = Math.sqrt(1 - Math.pow(beta2, t));
        NDArray rate = s(scope, lr * root2 / (1 - Math.pow(beta1, t)));
        NDArray eps = s(scope, epsilon * root2);
        NDArray b1 = s(scope, beta1);
        NDArray b2 = s(scope, beta2);
        NDArray oneMinusB1 = s(scope, 1 - beta1);
        NDArray oneMinusB2 = s(scope, 1 - beta2);
        NDArray decoupled = s(scope, lr * weightDecay);
        boolean decays = weightDecay > 0;
        grads.forEach((name, g) -> {
            NDArray w = weights.get(name);
            if (decays) {
                w.subi(scope.own(w.mul(decoupled)));
            }
            NDArray m = slot.apply(TrainingState.slotName(name, OptimizerSpec.ADAM_M));
            NDArray v = slot.apply(TrainingState.slotName(name, OptimizerSpec.ADAM_V));
            // In-place on step temporaries where possible: each pass over a weight matrix costs.
            m.muli(b1).addi(scope.own(g.mul(oneMinusB1)));
            v.muli(b2).addi(scope.own(g.square()).muli(oneMinusB2));
            NDArray denominator = scope.own(v.sqrt()).addi(eps);
            w.subi(scope.own(m.div(denominator)).muli(rate));
        });
    }

    private static NDArray s(StepScope scope, double value) {
        return scope.scalar((float) value).array();
    }

    /** Scales every gradient by min(1, maxNorm / (globalNorm + 1e-6)) when clipping is on. */
    private Map<String, NDArray> clip(StepScope scope, Map<String, NDArray> gradients) {
        if (config.clipGlobalNorm() <= 0) {
            return gradients;
        }
        NDArray total = null;
        for (NDArray g : gradients.values()) {
            NDArray squares = scope.own(scope.own(g.square()).sum());
            total = total == null ? squares : scope.own(total.add(squares));
        }
        NDArray norm = scope.own(total.sqrt());
        NDArray ratio = scope.own(s(scope, config.clipGlobalNorm()).div(scope.own(norm.add(s(scope, CLIP_EPSILON)))));
        NDArray coefficient = scope.own(ratio.minimum(s(scope, 1.0)));
        Map<String, NDArray> clipped = new LinkedHashMap<>();
        gradients.forEach((name, g) -> clipped.put(name, scope.own(g.mul(coefficient))));
        return clipped;
    }
}

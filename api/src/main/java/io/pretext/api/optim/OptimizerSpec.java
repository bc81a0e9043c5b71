package io.pretext.api.optim;

import io.pretext.api.ApiStatus;

/**
 * Which optimizer a training step applies, with its hyper-parameters. Closed set: every training
 * backend implements each one with the same update rule (PyTorch's formulas), so runs agree
 * across backends.
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public sealed interface OptimizerSpec {

    /** @return the base learning rate, before the schedule's factor */
    double learningRate();

    /** Slot of SGD with momentum: the velocity. */
    String MOMENTUM = "momentum";
    /** Slot of Adam and AdamW: the first moment. */
    String ADAM_M = "adam_m";
    /** Slot of Adam and AdamW: the second moment. */
    String ADAM_V = "adam_v";

    /**
     * The accumulators this optimizer keeps per trainable parameter, by their canonical suffix
     * (see {@link io.pretext.api.backend.TrainingState#slotName}). Every backend keeps exactly
     * these, so a training state moves between backends.
     *
     * @return the slot suffixes, empty for plain SGD
     */
    default java.util.List<String> slots() {
        if (this instanceof Sgd sgd) {
            return sgd.momentum() > 0 ? java.util.List.of(MOMENTUM) : java.util.List.of();
        }
        return java.util.List.of(ADAM_M, ADAM_V);
    }

    /**
     * SGD with optional momentum: {@code v = m*v + g; w -= lr * (nesterov ? g + m*v : v)}, with L2
     * weight decay added to the gradient.
     *
     * @param learningRate base learning rate
     * @param momentum momentum factor, 0 for plain SGD
     * @param nesterov use Nesterov momentum
     * @param weightDecay L2 penalty added to the gradient
     */
    record Sgd(double learningRate, double momentum, boolean nesterov, double weightDecay) implements OptimizerSpec {
        /** Checks ranges. */
        public Sgd {
            positive("learning rate", learningRate);
            range("momentum", momentum, 0, 1);
            range("weight decay", weightDecay, 0, Double.MAX_VALUE);
        }
    }

    /**
     * Adam (Kingma and Ba) with bias correction.
     *
     * @param learningRate base learning rate
     * @param beta1 first-moment decay
     * @param beta2 second-moment decay
     * @param epsilon added to the denominator
     */
    record Adam(double learningRate, double beta1, double beta2, double epsilon) implements OptimizerSpec {
        /** Checks ranges. */
        public Adam {
            positive("learning rate", learningRate);
            range("beta1", beta1, 0, 1);
            range("beta2", beta2, 0, 1);
            positive("epsilon", epsilon);
        }

        /**
         * @param learningRate base learning rate
         * @return Adam with the usual betas (0.9, 0.999) and epsilon 1e-8
         */
        public static Adam withLearningRate(double learningRate) {
            return new Adam(learningRate, 0.9, 0.999, 1e-8);
        }
    }

    /**
     * AdamW (Loshchilov and Hutter): Adam with decoupled weight decay
     * {@code w -= lr * weightDecay * w}.
     *
     * @param learningRate base learning rate
     * @param beta1 first-moment decay
     * @param beta2 second-moment decay
     * @param epsilon added to the denominator
     * @param weightDecay decoupled decay factor
     */
    record AdamW(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) implements OptimizerSpec {
        /** Checks ranges. */
        public AdamW {
            positive("learning rate", learningRate);
            range("beta1", beta1, 0, 1);
            range("beta2", beta2, 0, 1);
            positive("epsilon", epsilon);
            range("weight decay", weightDecay, 0, Double.MAX_VALUE);
        }
    }

    private static void positive(String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be positive and finite, got " + v);
        }
    }

    private static void range(String what, double v, double lo, double hi) {
        if (!(v >= lo && v < hi) && !(v == lo)) {
            throw new IllegalArgumentException(what + " must be in [" + lo + ", " + hi + "), got " + v);
        }
    }
}

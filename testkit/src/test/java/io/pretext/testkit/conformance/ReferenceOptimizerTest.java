package io.pretext.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pretext.api.backend.TrainingState;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.optim.LearningRateSchedule;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reference update rules against values worked out by hand from PyTorch's formulas. */
class ReferenceOptimizerTest {
    private static ParameterSet one(String name, float... v) {
        return new ParameterSet(Map.of(name, HostTensor.of(Shape.of(v.length), v)));
    }

    private static TrainingState start(float... w) {
        return new TrainingState(one("w", w), new ParameterSet(Map.of()), 0);
    }

    @Test
    void sgdWithMomentumAccumulatesAndDecays() {
        TrainingConfig c = TrainingConfig.of(new OptimizerSpec.Sgd(0.1, 0.9, false, 0.5));
        TrainingState s1 = ReferenceOptimizer.step(c, start(2f), one("w", 1f));
        // g' = 1 + 0.5 * 2 = 2; buf = 2; w = 2 - 0.1 * 2 = 1.8
        assertEquals(1.8f, s1.parameters().get("w").data()[0], 1e-6);
        assertEquals(2f, s1.optimizerSlots().get("w/momentum").data()[0], 1e-6);
        TrainingState s2 = ReferenceOptimizer.step(c, s1, one("w", 1f));
        // g' = 1 + 0.9 = 1.9; buf = 0.9 * 2 + 1.9 = 3.7; w = 1.8 - 0.37 = 1.43
        assertEquals(1.43f, s2.parameters().get("w").data()[0], 1e-6);
        assertEquals(2, s2.step());
    }

    @Test
    void nesterovLooksAhead() {
        TrainingConfig c = TrainingConfig.of(new OptimizerSpec.Sgd(0.1, 0.5, true, 0));
        TrainingState s1 = ReferenceOptimizer.step(c, start(0f), one("w", 2f));
        // buf = 2; d = 2 + 0.5 * 2 = 3; w = -0.3
        assertEquals(-0.3f, s1.parameters().get("w").data()[0], 1e-6);
    }

    @Test
    void adamFirstStepMovesByTheLearningRate() {
        TrainingConfig c = TrainingConfig.of(OptimizerSpec.Adam.withLearningRate(0.01));
        TrainingState s1 = ReferenceOptimizer.step(c, start(1f, 1f), one("w", 3f, -0.002f));
        // With bias correction, m_hat = g and v_hat = g^2: the first step is lr * sign(g).
        assertEquals(0.99f, s1.parameters().get("w").data()[0], 1e-6);
        assertEquals(1.01f, s1.parameters().get("w").data()[1], 1e-6);
        assertEquals(0.3f, s1.optimizerSlots().get("w/adam_m").data()[0], 1e-6);
        assertEquals(0.009f, s1.optimizerSlots().get("w/adam_v").data()[0], 1e-7);
    }

    @Test
    void adamWDecaysBeforeTheAdamStep() {
        TrainingConfig c = TrainingConfig.of(new OptimizerSpec.AdamW(0.01, 0.9, 0.999, 1e-8, 0.5));
        TrainingState s1 = ReferenceOptimizer.step(c, start(2f), one("w", 1f));
        // w = 2 * (1 - 0.01 * 0.5) - 0.01 = 1.99 - 0.01 = 1.98
        assertEquals(1.98f, s1.parameters().get("w").data()[0], 1e-6);
    }

    @Test
    void clippingAndScheduleScaleTheStep() {
        TrainingConfig c = new TrainingConfig(new OptimizerSpec.Sgd(1, 0, false, 0), LearningRateSchedule.warmupCosine(4, 10), 1.0);
        TrainingState s1 = ReferenceOptimizer.step(c, start(0f, 0f), new ParameterSet(Map.of("w", HostTensor.of(Shape.of(2),
                new float[] {3, 4}))));
        // norm 5 -> g * 1 / (5 + 1e-6); warm-up factor at step 0 is 1/4
        assertEquals(-0.25 * 3 / 5.000001, s1.parameters().get("w").data()[0], 1e-6);
        assertEquals(-0.25 * 4 / 5.000001, s1.parameters().get("w").data()[1], 1e-6);
    }
}

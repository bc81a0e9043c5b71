package io.pretext.tensorflow;

import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.TrainingProgram;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Initializer;
import io.pretext.api.model.LossOutput;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.tensor.Shape;
import java.util.List;
import java.util.Map;

/** Run in a child JVM by {@link ColdNativeCacheTest}: opens the backend and trains one step. */
final class ColdStartProbe {
    private ColdStartProbe() {
    }

    public static void main(String[] args) {
        List<ParamSpec> specs = List.of(ParamSpec.trainable("w", Shape.of(2, 2), new Initializer.Constant(1f)));
        try (BackendSession session = new TensorFlowBackend().open(BackendSettings.defaults());
             TrainingProgram p = session.compileTraining(specs,
                     (ops, params, in, mode) -> LossOutput.of(ops.sum(ops.square(params.get("w")), new int[0], false)),
                     TrainingConfig.of(new OptimizerSpec.Sgd(0.25, 0, false, 0)), ParameterSet.initialize(specs, 1))) {
            double loss = p.step(new Batch(Map.of())).loss();
            // w = 1 - 0.25 * 2 = 0.5 after one step; the loss before it is 4.
            System.out.println("cold-start " + loss + " " + p.parameters().get("w").data()[0]);
        }
    }
}

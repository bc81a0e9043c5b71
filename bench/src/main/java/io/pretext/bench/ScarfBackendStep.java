package io.pretext.bench;

import io.pretext.api.Backend;
import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.Loss;
import io.pretext.api.LossFunction;
import io.pretext.api.LossInputs;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.backend.TrainingProgram;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reference SCARF step of {@link ScarfOpLayer} (encoder {@code mlp} 16-256-256-256, head
 * {@code mlp} 256-256-128, {@code info-nce} with tau 0.1, Adam 1e-3) on any training backend found
 * by id, so backends are compared on exactly the same model, initial values and batches.
 */
final class ScarfBackendStep implements AutoCloseable {
    private final String backendId;
    private final BackendSession session;
    private final TrainingProgram program;
    private final int batch;

    ScarfBackendStep(String backendId, int batch, BackendSettings settings, long seed) {
        this.backendId = backendId;
        this.batch = batch;
        Encoder mlp = ScarfOpLayer.find(Encoder.class, "mlp");
        EncoderModel encoder = mlp.create(Options.resolve("encoder", mlp.options(),
                Map.of("widths", List.of(256L, 256L, 256L), "activation", "relu", "final-activation", true)), Shape.of(16), "encoder");
        EncoderModel head = mlp.create(Options.resolve("head", mlp.options(),
                Map.of("widths", List.of(256L, 128L), "activation", "relu", "final-activation", false)), Shape.of(256), "head");
        Loss infoNce = ScarfOpLayer.find(Loss.class, "info-nce");
        LossFunction loss = infoNce.create(Options.resolve("loss", infoNce.options(), Map.of("temperature", 0.1)));
        List<ParamSpec> parameters = new ArrayList<>(encoder.parameters());
        parameters.addAll(head.parameters());
        Objective objective = (ops, params, inputs, mode) -> {
            Tensor a = head.forward(ops, params, encoder.forward(ops, params, inputs.get(ScarfOpLayer.ANCHOR), mode), mode);
            Tensor b = head.forward(ops, params, encoder.forward(ops, params, inputs.get(ScarfOpLayer.CORRUPTED), mode), mode);
            return loss.compute(ops, new LossInputs.Pair(a, b));
        };
        session = ScarfOpLayer.find(Backend.class, backendId).open(settings);
        program = session.compileTraining(parameters, objective, TrainingConfig.of(OptimizerSpec.Adam.withLearningRate(1e-3)),
                ParameterSet.initialize(parameters, seed));
    }

    /** @return the backend's id */
    String backendId() {
        return backendId;
    }

    /**
     * @param anchor [batch * 16] clean rows
     * @param corrupted [batch * 16] their corrupted views
     * @return the loss before the update
     */
    double step(float[] anchor, float[] corrupted) {
        Shape s = Shape.of(batch, ScarfData.FEATURES);
        return program.step(new Batch(Map.of(ScarfOpLayer.ANCHOR, HostTensor.of(s, anchor), ScarfOpLayer.CORRUPTED,
                HostTensor.of(s, corrupted)))).loss();
    }

    @Override
    public void close() {
        program.close();
        session.close();
    }
}

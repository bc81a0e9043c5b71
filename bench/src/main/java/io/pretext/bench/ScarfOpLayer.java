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
import java.util.ServiceLoader;

/**
 * The reference SCARF model through Pretext's own components and op layer: encoder {@code mlp}
 * 16-256-256-256 (ReLU after every layer), head {@code mlp} 256-256-128 (no final activation),
 * loss {@code info-nce} with tau 0.1 between the anchor and the corrupted view, Adam 1e-3, trained
 * by the {@code tensorflow} backend. Components are found by id, as the runtime finds them.
 */
final class ScarfOpLayer implements AutoCloseable {
    static final String ANCHOR = "anchor";
    static final String CORRUPTED = "corrupted";

    private final BackendSession session;
    private final TrainingProgram program;
    private final List<ParamSpec> parameters;
    private final int batch;

    ScarfOpLayer(int batch, BackendSettings settings, long seed) {
        this.batch = batch;
        Encoder mlp = find(Encoder.class, "mlp");
        EncoderModel encoder = mlp.create(Options.resolve("encoder", mlp.options(),
                Map.of("widths", List.of(256L, 256L, 256L), "activation", "relu", "final-activation", true)), Shape.of(16), "encoder");
        EncoderModel head = mlp.create(Options.resolve("head", mlp.options(),
                Map.of("widths", List.of(256L, 128L), "activation", "relu", "final-activation", false)), Shape.of(256), "head");
        Loss infoNce = find(Loss.class, "info-nce");
        LossFunction loss = infoNce.create(Options.resolve("loss", infoNce.options(), Map.of("temperature", 0.1)));
        parameters = new ArrayList<>(encoder.parameters());
        parameters.addAll(head.parameters());
        Objective objective = (ops, params, inputs, mode) -> {
            Tensor a = head.forward(ops, params, encoder.forward(ops, params, inputs.get(ANCHOR), mode), mode);
            Tensor b = head.forward(ops, params, encoder.forward(ops, params, inputs.get(CORRUPTED), mode), mode);
            return loss.compute(ops, new LossInputs.Pair(a, b));
        };
        session = find(Backend.class, "tensorflow").open(settings);
        program = session.compileTraining(parameters, objective, TrainingConfig.of(OptimizerSpec.Adam.withLearningRate(1e-3)),
                ParameterSet.initialize(parameters, seed));
    }

    static <T extends io.pretext.api.Provider> T find(Class<T> spi, String id) {
        return ServiceLoader.load(spi).stream().map(ServiceLoader.Provider::get).filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + spi.getSimpleName() + " '" + id + "' on the classpath"));
    }

    /** @return the model's parameters, in declaration order */
    List<ParamSpec> parameters() {
        return parameters;
    }

    /** @return the initial values the program started from (same seed, same values on every backend) */
    ParameterSet initial(long seed) {
        return ParameterSet.initialize(parameters, seed);
    }

    double step(float[] anchor, float[] corrupted) {
        Shape s = Shape.of(batch, ScarfData.FEATURES);
        return program.step(new Batch(Map.of(ANCHOR, HostTensor.of(s, anchor), CORRUPTED, HostTensor.of(s, corrupted)))).loss();
    }

    @Override
    public void close() {
        program.close();
        session.close();
    }
}

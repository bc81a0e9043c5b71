package io.pretext.runtime.train;

import io.pretext.api.EncoderModel;
import io.pretext.api.TaskModel;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.InferenceProgram;
import io.pretext.api.data.Example;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.tensor.HostTensor;
import java.util.List;
import java.util.Map;

/** Runs an encoder over examples in batches and returns the embeddings as rows. */
public final class Embedder {

    private static final String OUTPUT = "embedding";

    private Embedder() {
    }

    /**
     * Embeds examples with the given encoder parameters. The task encodes the raw examples
     * ({@link TaskModel#encoderInputs}) exactly as during pretraining.
     */
    public static float[][] embed(BackendSession session, EncoderModel encoder, ParameterSet values, TaskModel task,
                                  List<Example> examples, int batchSize) {
        java.util.Set<String> names = new java.util.HashSet<>();
        encoder.parameters().forEach(p -> names.add(p.name()));
        ParameterSet encoderValues = values.filter(names::contains);
        int width = encoder.outputShape().dim(encoder.outputShape().rank() - 1);
        float[][] out = new float[examples.size()][];
        try (InferenceProgram program = session.compileInference(encoder.parameters(),
                (ops, params, inputs) -> Map.of(OUTPUT, encoder.forward(ops, params, inputs.get(TaskModel.ENCODER_INPUT), Mode.EVAL)),
                encoderValues)) {
            for (int from = 0; from < examples.size(); from += batchSize) {
                int to = Math.min(examples.size(), from + batchSize);
                HostTensor.Floats emb = (HostTensor.Floats) program.run(task.encoderInputs(examples.subList(from, to))).get(OUTPUT);
                float[] data = emb.data();
                for (int i = from; i < to; i++) {
                    float[] row = new float[width];
                    System.arraycopy(data, (i - from) * width, row, 0, width);
                    out[i] = row;
                }
            }
        }
        return out;
    }

    /** The encoded raw features (what the encoder sees), as rows: the "raw features" baseline. */
    public static float[][] rawFeatures(TaskModel task, List<Example> examples) {
        float[][] out = new float[examples.size()][];
        int chunk = 4096;
        for (int from = 0; from < examples.size(); from += chunk) {
            int to = Math.min(examples.size(), from + chunk);
            HostTensor.Floats x = (HostTensor.Floats) task.encoderInputs(examples.subList(from, to)).get(TaskModel.ENCODER_INPUT);
            int width = (int) (x.shape().size() / (to - from));
            for (int i = from; i < to; i++) {
                float[] row = new float[width];
                System.arraycopy(x.data(), (i - from) * width, row, 0, width);
                out[i] = row;
            }
        }
        return out;
    }
}

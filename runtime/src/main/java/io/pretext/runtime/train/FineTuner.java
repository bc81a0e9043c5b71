package io.pretext.runtime.train;

import io.pretext.api.EncoderModel;
import io.pretext.api.LossFunction;
import io.pretext.api.LossInputs;
import io.pretext.api.TaskModel;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.InferenceProgram;
import io.pretext.api.backend.TrainingProgram;
import io.pretext.api.data.Example;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Initializer;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fine-tuning protocol: the encoder plus a linear classification head, all parameters trained with
 * cross-entropy on the labeled subset, then scored on the test split. Started from the pretrained
 * parameters it measures transfer; started from the untrained ones it is "the same network
 * trained from scratch on those labels".
 */
public final class FineTuner {

    private static final String LABELS = "labels";

    private final BackendSession session;
    private final EncoderModel encoder;
    private final TaskModel task;
    private final LossFunction crossEntropy;
    private final int classes;
    private final int epochs;
    private final int batchSize;
    private final double learningRate;

    public FineTuner(BackendSession session, EncoderModel encoder, TaskModel task, LossFunction crossEntropy, int classes, int epochs,
                     int batchSize, double learningRate) {
        this.session = session;
        this.encoder = encoder;
        this.task = task;
        this.crossEntropy = crossEntropy;
        this.classes = classes;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
    }

    private Tensor logits(Ops ops, io.pretext.api.model.Params params, Tensor input, Mode mode) {
        Tensor z = encoder.forward(ops, params, input, mode);
        return ops.add(ops.matmul(z, params.get("finetune/head/kernel")), params.get("finetune/head/bias"));
    }

    /** Trains from {@code start} (encoder parameters) on {@code train} and returns the accuracy on {@code test}. */
    public double accuracy(ParameterSet start, List<Example> train, List<Example> test, long seed) {
        int width = encoder.outputShape().dim(encoder.outputShape().rank() - 1);
        List<ParamSpec> specs = new ArrayList<>(encoder.parameters());
        specs.add(new ParamSpec("finetune/head/kernel", Shape.of(width, classes), new Initializer.FanInUniform(), true));
        specs.add(new ParamSpec("finetune/head/bias", Shape.of(classes), new Initializer.Uniform(1.0 / Math.sqrt(width)), true));
        ParameterSet head = ParameterSet.initialize(specs.subList(specs.size() - 2, specs.size()), seed);
        java.util.Set<String> encoderNames = new java.util.HashSet<>();
        encoder.parameters().forEach(p -> encoderNames.add(p.name()));
        ParameterSet initial = start.filter(encoderNames::contains).merge(List.of(head));
        // Small labeled subsets (iris: 120 rows) would get one step per epoch at the pretraining batch size;
        // at least four batches per epoch keeps the protocol meaningful there and changes nothing on large ones.
        int bs = Math.min(batchSize, Math.max(Math.min(16, train.size()), (train.size() + 3) / 4));
        int steps = Math.max(1, train.size() / bs) * epochs;
        TrainingConfig config = TrainingConfig.of(OptimizerSpec.Adam.withLearningRate(learningRate));
        ParameterSet trained;
        try (TrainingProgram program = session.compileTraining(specs, (ops, params, inputs, mode) -> crossEntropy.compute(ops,
                new LossInputs.Classification(logits(ops, params, inputs.get(TaskModel.ENCODER_INPUT), mode), inputs.get(LABELS))),
                config, initial)) {
            SplittableRandom random = new SplittableRandom(seed);
            int[] order = new int[train.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            int done = 0;
            while (done < steps) {
                for (int i = order.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                for (int from = 0; from + bs <= order.length && done < steps; from += bs, done++) {
                    List<Example> rows = new ArrayList<>(bs);
                    for (int i = from; i < from + bs; i++) {
                        rows.add(train.get(order[i]));
                    }
                    program.step(labeled(rows));
                }
            }
            trained = program.parameters();
        }
        int correct = 0;
        try (InferenceProgram program = session.compileInference(specs,
                (ops, params, inputs) -> Map.of("logits", logits(ops, params, inputs.get(TaskModel.ENCODER_INPUT), Mode.EVAL)), trained)) {
            for (int from = 0; from < test.size(); from += 1024) {
                List<Example> rows = test.subList(from, Math.min(test.size(), from + 1024));
                float[] logits = ((HostTensor.Floats) program.run(task.encoderInputs(rows)).get("logits")).data();
                for (int i = 0; i < rows.size(); i++) {
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        if (logits[i * classes + c] > logits[i * classes + best]) {
                            best = c;
                        }
                    }
                    if (best == rows.get(i).label()) {
                        correct++;
                    }
                }
            }
        }
        return correct / (double) test.size();
    }

    private Batch labeled(List<Example> rows) {
        Map<String, HostTensor> tensors = new LinkedHashMap<>(task.encoderInputs(rows).tensors());
        int[] labels = rows.stream().mapToInt(Example::label).toArray();
        tensors.put(LABELS, HostTensor.of(Shape.of(labels.length), labels));
        return new Batch(tensors);
    }
}

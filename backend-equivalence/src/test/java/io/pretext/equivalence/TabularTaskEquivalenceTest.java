package io.pretext.equivalence;

import static io.pretext.equivalence.TwoBackends.assertSameGradients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.pretext.api.EncoderModel;
import io.pretext.api.Encoder;
import io.pretext.api.Loss;
import io.pretext.api.LossFunction;
import io.pretext.api.PretextTask;
import io.pretext.api.TaskContext;
import io.pretext.api.TaskModel;
import io.pretext.api.data.ColumnSpec;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.data.Modality;
import io.pretext.api.data.TableSchema;
import io.pretext.api.model.Batch;
import io.pretext.api.optim.OptimizerSpec;
import io.pretext.api.optim.TrainingConfig;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tabular pretext tasks' objectives (SCARF, VIME, denoising autoencoder, supervised) bound to a
 * small labeled table with numeric and categorical columns: the same prepared batch gives the same
 * loss, gradients and diagnostics on TensorFlow and DJL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TabularTaskEquivalenceTest {
    private TwoBackends backends;

    @BeforeAll
    void open() {
        backends = new TwoBackends();
    }

    @AfterAll
    void close() {
        backends.close();
    }

    /** Seven numeric columns and one categorical column of three categories, four classes. */
    static DatasetInfo info() {
        List<ColumnSpec> columns = new ArrayList<>();
        for (int j = 0; j < 7; j++) {
            columns.add(new ColumnSpec("x" + j, ColumnSpec.Kind.NUMERIC, List.of()));
        }
        columns.add(new ColumnSpec("colour", ColumnSpec.Kind.CATEGORICAL, List.of("red", "green", "blue")));
        TableSchema schema = new TableSchema(columns);
        return new DatasetInfo("synthetic", Modality.TABLE, Shape.of(schema.width()), OptionalLong.of(200),
                List.of("a", "b", "c", "d"), Optional.of(schema), "sha256:synthetic");
    }

    static List<Example> rows(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = r.nextInt(4);
            float[] v = new float[8];
            for (int j = 0; j < 7; j++) {
                v[j] = (float) (label * 0.5 * (j % 3) + r.nextGaussian() * 2 + 10);
            }
            v[7] = r.nextInt(3);
            out.add(new Example.TableRow(v, label));
        }
        return out;
    }

    /**
     * @param task task id
     * @param loss loss id
     * @param options the task's options
     * @return a task bound to a miniature run on the synthetic table
     */
    static TaskModel bind(String task, String loss, Map<String, ?> options) {
        DatasetInfo data = info();
        PretextTask t = Components.REGISTRY.get(PretextTask.class, task);
        Options taskOptions = Options.resolve("task", t.options(), options);
        Encoder mlp = Components.REGISTRY.get(Encoder.class, "mlp");
        EncoderModel encoder = mlp.create(Options.resolve("encoder", mlp.options(), Map.of("widths", List.of(32L, 24L))),
                t.encoderInputShape(data, taskOptions), "encoder");
        Loss l = Components.REGISTRY.get(Loss.class, loss);
        LossFunction f = l.create(Options.defaults(l.options()));
        return t.bind(new TaskContext(Components.REGISTRY, data, rows(200, 1), encoder, f, Optional.empty(), TwoBackends.SEED),
                taskOptions);
    }

    static Stream<Arguments> tasks() {
        return Stream.of(
                Arguments.of("scarf", "info-nce", Map.of("head-widths", List.of(24, 16))),
                Arguments.of("scarf", "vicreg", Map.of("head-widths", List.of(24, 16))),
                Arguments.of("vime", "mse", Map.of()),
                Arguments.of("denoising-autoencoder", "mse", Map.of("decoder-widths", List.of(24))),
                Arguments.of("supervised", "cross-entropy", Map.of("head-widths", List.of(16))));
    }

    /**
     * @param task task id
     * @param loss loss id
     * @param options task options
     */
    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("tasks")
    void taskObjectiveAgreesOnBothBackends(String task, String loss, Map<String, ?> options) {
        TaskModel model = bind(task, loss, options);
        Batch batch = model.prepare(rows(64, 2), new SplittableRandom(3));
        String what = task + " with " + loss;
        try (TwoBackends.Programs p = backends.compile(model.parameters(), model.objective(),
                TrainingConfig.of(OptimizerSpec.Adam.withLearningRate(1e-3)))) {
            assertSameGradients(what, p, batch);
            Map<String, Double> tf = p.tensorflow().step(batch).metrics();
            Map<String, Double> dj = p.djl().step(batch).metrics();
            assertFalse(tf.isEmpty(), what + ": the task reports diagnostics");
            assertEquals(tf.keySet(), dj.keySet(), what + ": metric names");
            tf.forEach((name, v) -> TwoBackends.assertSameLoss(what + " metric " + name, v, dj.get(name)));
        }
    }
}

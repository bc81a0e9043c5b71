package io.pretext.tabular.task;

import static io.pretext.tabular.task.Fixtures.bind;
import static io.pretext.tabular.task.Fixtures.info;
import static io.pretext.tabular.task.Fixtures.numericSchema;
import static io.pretext.tabular.task.Fixtures.rows;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.DataSource;
import io.pretext.api.PretextTask;
import io.pretext.api.Provider;
import io.pretext.api.TaskModel;
import io.pretext.api.data.Dataset;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.error.PretextException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Batch;
import io.pretext.api.model.LossOutput;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.model.PreprocessingState;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.tabular.csv.CsvDataSource;
import io.pretext.testkit.ReferenceOps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Each task's preparation (exact corruption share, determinism for a seed) and its objective
 * evaluated with the plain-Java reference ops, plugins/core's MLP and losses.
 */
class TabularTasksTest {
    private static final List<Long> SMALL_ENCODER = List.of(16L, 16L);
    private final ReferenceOps ops = new ReferenceOps(5);

    private LossOutput evaluate(TaskModel model, Batch batch) {
        ParameterSet params = ParameterSet.initialize(model.parameters(), 3);
        return ops.evaluate(model.objective(), params, batch, Mode.TRAIN);
    }

    private static double value(io.pretext.api.tensor.Tensor t) {
        return ((ReferenceOps.Value) t).item();
    }

    private static float[] floats(Batch b, String name) {
        return ((HostTensor.Floats) b.get(name)).data();
    }

    // ---- registration -----------------------------------------------------------------------

    @Test
    void providersAreRegisteredWithUniqueIdsAndUsableDefaults() {
        List<String> tasks = new ArrayList<>();
        for (PretextTask t : ServiceLoader.load(PretextTask.class)) {
            tasks.add(t.id());
            Options.defaults(t.options()); // every option has a default
            assertFalse(t.description().isBlank());
        }
        assertEquals(List.of("scarf", "vime", "denoising-autoencoder", "supervised"), tasks);
        List<String> sources = ServiceLoader.load(DataSource.class).stream().map(p -> p.get().id()).toList();
        assertEquals(List.of("csv"), sources);
        assertEquals(tasks.size(), new HashSet<>(tasks).size());
        for (Provider p : ServiceLoader.load(PretextTask.class)) {
            assertEquals(io.pretext.api.PretextApi.VERSION, p.apiVersion());
        }
    }

    // ---- SCARF ------------------------------------------------------------------------------

    @Test
    void scarfReplacesExactlyRoundRateTimesDFeaturesFromTrainingRows() {
        int d = 10;
        DatasetInfo data = info(numericSchema(d), List.of());
        List<Example> training = rows(200, d, 0f, 0, 1); // values in [0, 1)
        List<Example> batchRows = rows(64, d, 100f, 0, 2); // values in [100, 101): a replaced value always differs
        ScarfTask.Model model = (ScarfTask.Model) bind(new ScarfTask(), Map.of("head-widths", List.of(8, 4)), data, training, "info-nce",
                SMALL_ENCODER, Optional.empty());
        assertEquals(6, model.corruptedPerRow());
        Batch b = model.prepare(batchRows, new SplittableRandom(42));
        assertEquals(Shape.of(64, d), b.get(ScarfTask.ANCHOR).shape());
        float[] anchor = floats(b, ScarfTask.ANCHOR);
        float[] positive = floats(b, ScarfTask.POSITIVE);
        PreprocessingState state = model.preprocessingState();
        float[] mean = state.tensor("tabular/mean").data();
        float[] scale = state.tensor("tabular/scale").data();
        Set<Float> trainingValues = new HashSet<>();
        training.forEach(e -> {
            for (float v : ((Example.TableRow) e).values()) {
                trainingValues.add(v);
            }
        });
        for (int i = 0; i < 64; i++) {
            int changed = 0;
            for (int j = 0; j < d; j++) {
                if (anchor[i * d + j] != positive[i * d + j]) {
                    changed++;
                    float raw = positive[i * d + j] / scale[j] + mean[j];
                    // The drawn value is one of the column's training values (up to float round trip).
                    assertTrue(raw < 1.01f, "row " + i + " column " + j + " drawn from the training marginal, got " + raw);
                }
            }
            assertEquals(6, changed, "row " + i);
        }
        assertTrue(trainingValues.size() > 100);
    }

    @Test
    void scarfRoundsHalfToEvenLikeTheReference() {
        DatasetInfo data = info(numericSchema(5), List.of());
        List<Example> training = rows(20, 5, 0f, 0, 1);
        ScarfTask.Model half = (ScarfTask.Model) bind(new ScarfTask(), Map.of("corruption-rate", 0.5, "head-widths", List.of(4)), data,
                training, "info-nce", SMALL_ENCODER, Optional.empty());
        assertEquals(2, half.corruptedPerRow(), "round(2.5) = 2 in Python");
        ScarfTask.Model none = (ScarfTask.Model) bind(new ScarfTask(), Map.of("corruption-rate", 0.0, "head-widths", List.of(4)), data,
                training, "info-nce", SMALL_ENCODER, Optional.empty());
        Batch b = none.prepare(training.subList(0, 4), new SplittableRandom(1));
        assertArrayEquals(floats(b, ScarfTask.ANCHOR), floats(b, ScarfTask.POSITIVE));
    }

    @Test
    void scarfPreparationIsDeterministicForASeed() {
        DatasetInfo data = info(numericSchema(8), List.of());
        List<Example> training = rows(100, 8, 0f, 0, 1);
        TaskModel model = bind(new ScarfTask(), Map.of("head-widths", List.of(4)), data, training, "info-nce", SMALL_ENCODER,
                Optional.empty());
        Batch a = model.prepare(training.subList(0, 16), new SplittableRandom(7));
        Batch b = model.prepare(training.subList(0, 16), new SplittableRandom(7));
        Batch c = model.prepare(training.subList(0, 16), new SplittableRandom(8));
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void scarfObjectiveWorksWithEveryPairLoss() {
        DatasetInfo data = info(numericSchema(6), List.of());
        List<Example> training = rows(64, 6, 0f, 0, 1);
        for (String loss : List.of("info-nce", "nt-xent", "vicreg", "barlow-twins", "contrastive-margin", "triplet")) {
            TaskModel model = bind(new ScarfTask(), Map.of("head-widths", List.of(12, 8)), data, training, loss, SMALL_ENCODER,
                    Optional.empty());
            LossOutput out = evaluate(model, model.prepare(training.subList(0, 12), new SplittableRandom(1)));
            double l = value(out.loss());
            assertTrue(Double.isFinite(l), loss + ": " + l);
            assertTrue(value(out.metrics().get(TableTaskModel.EMBEDDING_STD)) > 0, loss);
            assertTrue(model.parameters().stream().map(ParamSpec::name).anyMatch(n -> n.startsWith("head/")), loss);
        }
    }

    @Test
    void scarfObjectiveIsTheLossOfHeadOfEncoderOfEachViewComputedSeparately() {
        DatasetInfo data = info(numericSchema(6), List.of());
        List<Example> training = rows(64, 6, 0f, 0, 1);
        TaskModel model = bind(new ScarfTask(), Map.of("head-widths", List.of(12, 8)), data, training, "info-nce", SMALL_ENCODER,
                Optional.empty());
        Batch batch = model.prepare(training.subList(0, 16), new SplittableRandom(3));
        ParameterSet params = ParameterSet.initialize(model.parameters(), 3);
        double objective = ops.loss(model.objective(), params, batch, Mode.EVAL);

        // The same networks, built independently, applied to each view on its own.
        io.pretext.api.Encoder mlp = Fixtures.REGISTRY.get(io.pretext.api.Encoder.class, "mlp");
        var encoder = mlp.create(Options.resolve("encoder", mlp.options(), Map.of("widths", SMALL_ENCODER)), Shape.of(6), "encoder");
        var head = mlp.create(Options.resolve("head", mlp.options(), Map.of("widths", List.of(12, 8), "final-activation", false)),
                Shape.of(16), "head");
        var p = ops.new HostParams(params);
        var za = head.forward(ops, p, encoder.forward(ops, p, ReferenceOps.of(batch.get(ScarfTask.ANCHOR)), Mode.EVAL), Mode.EVAL);
        var zp = head.forward(ops, p, encoder.forward(ops, p, ReferenceOps.of(batch.get(ScarfTask.POSITIVE)), Mode.EVAL), Mode.EVAL);
        io.pretext.api.Loss infoNce = Fixtures.REGISTRY.get(io.pretext.api.Loss.class, "info-nce");
        double separate = value(infoNce.create(Options.defaults(infoNce.options())).compute(ops,
                new io.pretext.api.LossInputs.Pair(za, zp)).loss());
        assertEquals(separate, objective, 1e-9);
        assertTrue(objective > 0);
    }

    // ---- real data: iris through the csv source -------------------------------------------------

    @Test
    void scarfOnIrisTrainingSplitThroughTheCsvSource() {
        CsvDataSource csv = new CsvDataSource();
        try (Dataset train = csv.open(Path.of("..", "data", "tabular", "iris.csv"), Map.of("split", "train"))) {
            TaskModel model = bind(new ScarfTask(), Map.of("head-widths", List.of(16, 8)), train.info(), train, "info-nce",
                    List.of(32L, 32L), Optional.empty());
            List<Example> rows = train.load();
            assertEquals(120, rows.size());
            Batch batch = model.prepare(rows.subList(0, 32), new SplittableRandom(0));
            assertEquals(Shape.of(32, 4), batch.get(ScarfTask.POSITIVE).shape());
            assertTrue(Double.isFinite(value(evaluate(model, batch).loss())));
            Batch clean = model.encoderInputs(rows);
            assertEquals(Shape.of(120, 4), clean.get(TaskModel.ENCODER_INPUT).shape());
            // Standardized on the training split: each column of the encoded training rows has mean 0.
            float[] x = ((HostTensor.Floats) clean.get(TaskModel.ENCODER_INPUT)).data();
            for (int j = 0; j < 4; j++) {
                double m = 0;
                for (int i = 0; i < 120; i++) {
                    m += x[i * 4 + j];
                }
                assertEquals(0, m / 120, 1e-5);
            }
        }
    }

    // ---- VIME -------------------------------------------------------------------------------

    @Test
    void vimeMasksAboutTheRateAndMarksExactlyTheChangedColumns() {
        int d = 10;
        DatasetInfo data = info(numericSchema(d), List.of());
        List<Example> training = rows(300, d, 0f, 0, 1);
        List<Example> batchRows = rows(200, d, 100f, 0, 2);
        TaskModel model = bind(new VimeTask(), Map.of("mask-rate", 0.3), data, training, "mse", SMALL_ENCODER, Optional.empty());
        Batch b = model.prepare(batchRows, new SplittableRandom(9));
        float[] mask = floats(b, VimeTask.MASK);
        float[] corrupted = floats(b, VimeTask.CORRUPTED);
        float[] target = floats(b, VimeTask.TARGET);
        int masked = 0;
        for (int k = 0; k < mask.length; k++) {
            assertEquals(mask[k] == 1f, corrupted[k] != target[k], "position " + k);
            masked += (int) mask[k];
        }
        double share = masked / (double) mask.length;
        assertEquals(0.3, share, 0.04, "2000 Bernoulli(0.3) draws");
        assertEquals(b, model.prepare(batchRows, new SplittableRandom(9)));
    }

    @Test
    void vimeObjectiveCombinesMaskAndReconstructionTerms() {
        DatasetInfo data = info(numericSchema(5), List.of());
        List<Example> training = rows(50, 5, 0f, 0, 1);
        TaskModel model = bind(new VimeTask(), Map.of("alpha", 2.0, "head-widths", List.of(8)), data, training, "mse", SMALL_ENCODER,
                Optional.empty());
        LossOutput out = evaluate(model, model.prepare(training.subList(0, 10), new SplittableRandom(2)));
        double bce = value(out.metrics().get(VimeTask.MASK_BCE));
        double rec = value(out.metrics().get(VimeTask.RECONSTRUCTION));
        assertTrue(bce > 0 && rec > 0);
        assertEquals(bce + 2.0 * rec, value(out.loss()), 1e-9);
        assertTrue(model.parameters().stream().anyMatch(p -> p.name().equals("mask_head/dense1/kernel")
                && p.shape().equals(Shape.of(8, 5))));
    }

    // ---- denoising autoencoder --------------------------------------------------------------

    @Test
    void denoisingSwapAndGaussianNoise() {
        int d = 8;
        DatasetInfo data = info(numericSchema(d), List.of());
        List<Example> training = rows(400, d, 0f, 0, 1);
        TaskModel swap = bind(new DenoisingAutoencoderTask(), Map.of("swap-rate", 0.25), data, training, "mse", SMALL_ENCODER,
                Optional.empty());
        Batch s = swap.prepare(training.subList(0, 200), new SplittableRandom(4));
        float[] noisy = floats(s, DenoisingAutoencoderTask.NOISY);
        float[] target = floats(s, DenoisingAutoencoderTask.TARGET);
        int swapped = 0;
        for (int k = 0; k < noisy.length; k++) {
            swapped += noisy[k] != target[k] ? 1 : 0;
        }
        assertEquals(0.25, swapped / (double) noisy.length, 0.04);

        TaskModel gauss = bind(new DenoisingAutoencoderTask(), Map.of("noise", "gaussian", "noise-std", 0.5), data, training, "mse",
                SMALL_ENCODER, Optional.empty());
        Batch g = gauss.prepare(training.subList(0, 200), new SplittableRandom(4));
        float[] gn = floats(g, DenoisingAutoencoderTask.NOISY);
        float[] gt = floats(g, DenoisingAutoencoderTask.TARGET);
        double sq = 0;
        for (int k = 0; k < gn.length; k++) {
            sq += (gn[k] - gt[k]) * (gn[k] - gt[k]);
        }
        assertEquals(0.5, Math.sqrt(sq / gn.length), 0.03, "noise std over 1600 draws");
        LossOutput out = evaluate(gauss, g);
        assertTrue(Double.isFinite(value(out.loss())) && value(out.loss()) > 0);
        assertTrue(gauss.parameters().stream().anyMatch(p -> p.name().equals("decoder/dense1/kernel") && p.shape().equals(Shape.of(256, d))));
    }

    // ---- supervised -------------------------------------------------------------------------

    @Test
    void supervisedCrossEntropyOnLabels() {
        DatasetInfo data = info(numericSchema(4), List.of("a", "b", "c"));
        List<Example> training = rows(60, 4, 0f, 3, 1);
        TaskModel model = bind(new SupervisedTask(), Map.of(), data, training, "cross-entropy", SMALL_ENCODER, Optional.empty());
        Batch b = model.prepare(training.subList(0, 20), new SplittableRandom(0));
        assertEquals(Shape.of(20), b.get(SupervisedTask.LABEL).shape());
        LossOutput out = evaluate(model, b);
        double l = value(out.loss());
        assertTrue(l > 0 && l < 3 * Math.log(3), "untrained cross-entropy near ln 3, got " + l);
        assertTrue(out.metrics().containsKey("accuracy"));
        List<Example> unlabeled = rows(4, 4, 0f, 0, 2);
        assertThrows(PretextException.class, () -> model.prepare(unlabeled, new SplittableRandom(0)));
        DatasetInfo noLabels = info(numericSchema(4), List.of());
        assertThrows(PretextException.class, () -> bind(new SupervisedTask(), Map.of(), noLabels, training, "cross-entropy",
                SMALL_ENCODER, Optional.empty()));
    }

    // ---- preprocessing state and shapes ---------------------------------------------------------

    @Test
    void savedPreprocessingIsReusedWithoutRefitting() {
        DatasetInfo data = info(numericSchema(4), List.of("a", "b"));
        List<Example> training = rows(60, 4, 0f, 2, 1);
        TaskModel first = bind(new SupervisedTask(), Map.of(), data, training, "cross-entropy", SMALL_ENCODER, Optional.empty());
        Iterable<Example> mustNotBeRead = () -> {
            throw new AssertionError("statistics must come from the saved state");
        };
        TaskModel again = bind(new SupervisedTask(), Map.of(), data, mustNotBeRead, "cross-entropy", SMALL_ENCODER,
                Optional.of(first.preprocessingState()));
        List<Example> other = rows(10, 4, 5f, 2, 3);
        assertEquals(first.encoderInputs(other), again.encoderInputs(other));
        assertEquals(first.preprocessingState(), again.preprocessingState());
    }

    @Test
    void encoderInputShapeFollowsTheEncodingAndAWrongEncoderIsRefused() {
        CsvDataSource csv = new CsvDataSource();
        try (Dataset adult = csv.open(Path.of("..", "data", "tabular", "adult.csv"), Map.of("label", "income"))) {
            ScarfTask scarf = new ScarfTask();
            int categories = adult.info().schema().orElseThrow().columns().stream().mapToInt(c -> c.categories().size()).sum();
            assertEquals(Shape.of(7 + categories), scarf.encoderInputShape(adult.info(), Options.defaults(scarf.options())));
            assertEquals(Shape.of(14 + categories), scarf.encoderInputShape(adult.info(),
                    Options.resolve("task", scarf.options(), Map.of("missing-indicators", "numeric"))));
        }
        DatasetInfo data = info(numericSchema(4), List.of());
        List<Example> training = rows(10, 4, 0f, 0, 1);
        io.pretext.api.Encoder mlp = Fixtures.REGISTRY.get(io.pretext.api.Encoder.class, "mlp");
        var wrong = mlp.create(Options.defaults(mlp.options()), Shape.of(5), "encoder");
        var loss = Fixtures.REGISTRY.get(io.pretext.api.Loss.class, "info-nce");
        var context = new io.pretext.api.TaskContext(Fixtures.REGISTRY, data, training, wrong, loss.create(Options.defaults(loss.options())),
                Optional.empty(), 1L);
        ScarfTask scarf = new ScarfTask();
        ShapeException e = assertThrows(ShapeException.class, () -> scarf.bind(context, Options.defaults(scarf.options())));
        assertTrue(e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void adultEncodesCategoricalsAndMissingValuesThroughEveryTask() {
        CsvDataSource csv = new CsvDataSource();
        try (Dataset train = csv.open(Path.of("..", "data", "tabular", "adult.csv"), Map.of("label", "income", "split", "train"))) {
            List<Example> rows = new ArrayList<>();
            for (Example e : train) {
                if (rows.size() == 24) {
                    break;
                }
                rows.add(e);
            }
            for (PretextTask task : List.of(new ScarfTask(), new VimeTask(), new DenoisingAutoencoderTask(), new SupervisedTask())) {
                String loss = switch (task.lossKind()) {
                    case PAIR -> "info-nce";
                    case RECONSTRUCTION -> "mse";
                    case CLASSIFICATION -> "cross-entropy";
                };
                Map<String, Object> options = task instanceof ScarfTask ? Map.of("head-widths", List.of(8)) : Map.of();
                TaskModel model = bind(task, options, train.info(), train, loss, SMALL_ENCODER, Optional.empty());
                LossOutput out = evaluate(model, model.prepare(rows, new SplittableRandom(1)));
                assertTrue(Double.isFinite(value(out.loss())), task.id());
            }
        }
    }
}

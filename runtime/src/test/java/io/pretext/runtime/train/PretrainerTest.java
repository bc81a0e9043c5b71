package io.pretext.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.runtime.checkpoint.SafeTensors;
import io.pretext.runtime.eval.EvaluationTable;
import io.pretext.runtime.recipe.Recipe;
import io.pretext.runtime.recipe.RecipeResolver;
import io.pretext.runtime.recipe.ResolvedRecipe;
import io.pretext.runtime.registry.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop end to end on the TensorFlow backend, with a test task and test data. */
class PretrainerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static PluginRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        registry = PluginRegistry.fromClasspath();
    }

    @AfterAll
    static void close() {
        registry.close();
    }

    private ResolvedRecipe recipe(String output, String... overrides) {
        String yaml = """
                name: loop-test
                seed: 11
                data: {id: test-gaussian-rows, rows: 480, features: 8, classes: 3}
                task: {id: test-noisy-pair, noise: 0.3}
                encoder: {id: mlp, widths: [32, 16]}
                loss: {id: info-nce, temperature: 0.2}
                backend: {id: tensorflow, intra-op-threads: 1, inter-op-threads: 1}
                training: {epochs: 4, batch-size: 64, learning-rate: 0.003, log-every: 1, workers: 2, prefetch: 3, checkpoint-every: 1}
                evaluation: {protocols: "linear,knn,finetune", label-percents: [100, 25], repeats: 2, finetune-epochs: 3}
                output: %s
                """.formatted(output);
        Recipe r = Recipe.parse(yaml, "test", Optional.empty()).withOverrides(List.of(overrides));
        return new RecipeResolver(registry).resolve(r, false);
    }

    private static List<Double> epochLosses(Path metrics) throws IOException {
        List<Double> out = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode node = JSON.readTree(line);
            if (node.get("type").asText().equals("epoch")) {
                out.add(node.get("loss").asDouble());
            }
        }
        return out;
    }

    @Test
    void trainsWritesArtifactsAndEvaluatesThreeRows() throws IOException {
        Path out = dir.resolve("run");
        try (PretrainedRun run = new Pretrainer(registry, recipe(out.toString()), ProgressListener.none()).run()) {
            List<Double> losses = epochLosses(out.resolve(Pretrainer.METRICS_FILE));
            assertEquals(4, losses.size());
            assertTrue(losses.get(3) < losses.get(0), "loss decreases: " + losses);
            assertEquals(4 * (384 / 64), run.stats().steps(), "384 training rows (80% of 480), 6 full batches per epoch");

            SafeTensors.Contents encoder = SafeTensors.read(out.resolve(Pretrainer.ENCODER_FILE));
            assertTrue(encoder.tensors().names().stream().allMatch(n -> n.startsWith("encoder/")), encoder.tensors().names().toString());
            assertTrue(encoder.metadata().get("recipe").contains("test-noisy-pair"));
            assertTrue(encoder.metadata().get("provenance").contains("\"dataFingerprint\""));
            assertTrue(Files.notExists(out.resolve("checkpoint.staging")) && Files.notExists(out.resolve("checkpoint.previous")),
                    "the staged checkpoint folder was swapped in whole");
            for (String f : List.of("model.safetensors", "optimizer.safetensors", "recipe.yaml", "provenance.json")) {
                assertTrue(Files.isRegularFile(out.resolve("checkpoint").resolve(f)), f);
            }
            assertArrayEquals(run.trained().get("encoder/dense0/kernel").data(), encoder.tensors().get("encoder/dense0/kernel").data());

            EvaluationTable table = new Evaluator(registry).evaluate(run);
            assertEquals(List.of(Evaluator.RAW, Evaluator.RANDOM, "pretrained (test-noisy-pair)"), table.featureSets());
            double raw = table.score(Evaluator.RAW, "linear-probe", 1.0).orElseThrow().mean();
            assertTrue(raw > 0.9, "three well-separated Gaussian clusters are linearly separable: " + raw);
            assertTrue(table.score("pretrained (test-noisy-pair)", "finetune", 0.25).isPresent());
        }
    }

    @Test
    void sameRecipeAndSeedGiveTheSameLossCurve() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        try (PretrainedRun run = new Pretrainer(registry, recipe(a.toString(), "training.epochs=2"), ProgressListener.none()).run()) {
            assertEquals(2, run.stats().epochs());
        }
        try (PretrainedRun run = new Pretrainer(registry, recipe(b.toString(), "training.epochs=2"), ProgressListener.none()).run()) {
            assertEquals(2, run.stats().epochs());
        }
        assertEquals(epochLosses(a.resolve(Pretrainer.METRICS_FILE)), epochLosses(b.resolve(Pretrainer.METRICS_FILE)));
    }

    @Test
    void savedEncoderReopensWithItsRecipe() {
        Path out = dir.resolve("saved");
        float[] trained;
        try (PretrainedRun run = new Pretrainer(registry, recipe(out.toString(), "training.epochs=1"), ProgressListener.none()).run()) {
            trained = run.trained().get("encoder/dense1/kernel").data();
        }
        try (PretrainedRun reopened = SavedEncoder.open(registry, out.resolve(Pretrainer.ENCODER_FILE), List.of("evaluation.protocols=linear"))) {
            assertArrayEquals(trained, reopened.trained().get("encoder/dense1/kernel").data());
            assertEquals(96, reopened.test().size());
            EvaluationTable table = new Evaluator(registry).evaluate(reopened);
            assertEquals(3, table.featureSets().size());
        }
    }

    @Test
    void streamingRunsThroughAShuffleBufferReproducibly() throws IOException {
        Path a = dir.resolve("stream-a");
        Path b = dir.resolve("stream-b");
        String[] streaming = {"training.streaming=true", "training.shuffle-buffer=100", "training.epochs=3"};
        try (PretrainedRun run = new Pretrainer(registry, recipe(a.toString(), streaming), ProgressListener.none()).run()) {
            assertEquals(3 * (480 / 64), run.stats().steps(), "all 480 rows are training rows when streaming");
            io.pretext.api.error.PretextException e = org.junit.jupiter.api.Assertions.assertThrows(io.pretext.api.error.PretextException.class,
                    () -> new Evaluator(registry).evaluate(run));
            assertTrue(e.getMessage().contains("pretext evaluate --encoder"), e.getMessage());
        }
        try (PretrainedRun run = new Pretrainer(registry, recipe(b.toString(), streaming), ProgressListener.none()).run()) {
            assertEquals(3, run.stats().epochs());
        }
        List<Double> losses = epochLosses(a.resolve(Pretrainer.METRICS_FILE));
        assertEquals(losses, epochLosses(b.resolve(Pretrainer.METRICS_FILE)));
        assertTrue(losses.get(2) < losses.get(0), losses.toString());
    }

    @Test
    void aNonFiniteLossStopsWithTheStepAndKeepsTheMetrics() throws IOException {
        Path out = dir.resolve("nan");
        io.pretext.api.error.NonFiniteLossException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.pretext.api.error.NonFiniteLossException.class,
                () -> new Pretrainer(registry, recipe(out.toString(), "training.optimizer=sgd", "training.learning-rate=1e30"),
                        ProgressListener.none()).run());
        assertTrue(e.step() >= 1, e.getMessage());
        assertTrue(Files.readString(out.resolve(Pretrainer.METRICS_FILE)).contains("\"step\":" + e.step()));
    }

    @Test
    void aCheckpointResumesOnTheSameAndOnTheOtherBackend() throws IOException {
        Path straight = dir.resolve("straight");
        Path half = dir.resolve("half");
        Path resumedTf = dir.resolve("resumed-tf");
        Path resumedDjl = dir.resolve("resumed-djl");
        try (PretrainedRun run = new Pretrainer(registry, recipe(straight.toString()), ProgressListener.none()).run()) {
            assertEquals(4, run.stats().epochs());
        }
        try (PretrainedRun run = new Pretrainer(registry, recipe(half.toString(), "training.epochs=2"), ProgressListener.none()).run()) {
            assertEquals(12, run.stats().steps());
        }
        String from = "training.resume-from=" + half.resolve("checkpoint");
        try (PretrainedRun run = new Pretrainer(registry, recipe(resumedTf.toString(), from), ProgressListener.none()).run()) {
            assertEquals(24, run.stats().steps(), "continues at step 12 for epochs 3 and 4");
        }
        try (PretrainedRun run = new Pretrainer(registry, recipe(resumedDjl.toString(), from, "backend.id=djl"), ProgressListener.none()).run()) {
            assertEquals(24, run.stats().steps());
        }
        List<Double> expected = epochLosses(straight.resolve(Pretrainer.METRICS_FILE)).subList(2, 4);
        List<Double> sameBackend = epochLosses(resumedTf.resolve(Pretrainer.METRICS_FILE));
        List<Double> otherBackend = epochLosses(resumedDjl.resolve(Pretrainer.METRICS_FILE));
        assertEquals(2, sameBackend.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(expected.get(i), sameBackend.get(i), 1e-5 * Math.abs(expected.get(i)), "tensorflow -> tensorflow, epoch " + (i + 3));
            assertEquals(expected.get(i), otherBackend.get(i), 1e-3 * Math.abs(expected.get(i)), "tensorflow -> djl, epoch " + (i + 3));
        }
        // a checkpoint that has finished the recipe's epochs leaves nothing to train: refused before any output is written
        Path nothing = dir.resolve("nothing-to-train");
        io.pretext.api.error.InvalidOptionException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.pretext.api.error.InvalidOptionException.class,
                () -> new Pretrainer(registry, recipe(nothing.toString(), from, "training.epochs=2"), ProgressListener.none()).run());
        assertEquals("training.epochs", e.key());
        assertTrue(e.getMessage().contains("finished 2 epochs") && e.getMessage().contains("set it above 2"), e.getMessage());
        assertTrue(!Files.exists(nothing), "nothing written for a refused resume");
    }

    /** A run that went on past its checkpoint and stopped: resuming in its folder lists every epoch once. */
    @Test
    void resumingInTheSameFolderDropsTheMetricsAfterTheCheckpoint() throws IOException {
        Path out = dir.resolve("interrupted");
        try (PretrainedRun run = new Pretrainer(registry, recipe(out.toString(), "training.epochs=2"), ProgressListener.none()).run()) {
            assertEquals(2, run.stats().epochs());
        }
        // what an interrupted epoch 3 leaves behind (no checkpoint after epoch 2)
        Files.writeString(out.resolve(Pretrainer.METRICS_FILE), "{\"type\":\"epoch\",\"epoch\":3,\"step\":18,\"loss\":9.9}\n",
                java.nio.file.StandardOpenOption.APPEND);
        try (PretrainedRun run = new Pretrainer(registry, recipe(out.toString(), "training.resume-from=" + out.resolve("checkpoint")),
                ProgressListener.none()).run()) {
            assertEquals(4, run.stats().epochs());
        }
        List<Double> losses = epochLosses(out.resolve(Pretrainer.METRICS_FILE));
        assertEquals(4, losses.size(), "epochs 1-4 once each: " + losses);
        assertTrue(!losses.contains(9.9), losses.toString());
    }

    @Test
    void resumingFromSomethingElseIsAClearError() {
        io.pretext.api.error.InvalidOptionException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.pretext.api.error.InvalidOptionException.class,
                () -> new Pretrainer(registry, recipe(dir.resolve("x").toString(), "training.resume-from=" + dir), ProgressListener.none()).run());
        assertEquals("training.resume-from", e.key());
        assertTrue(!Files.exists(dir.resolve("x")), "a refused resume leaves no output folder (no empty metrics file)");
    }

    @Test
    void aSeparateTestSetIsUsedAsIsAndTheTrainingDataWhole() {
        Path out = dir.resolve("test-data");
        String yaml = """
                seed: 11
                data: {id: test-gaussian-rows, rows: 480, features: 8, classes: 3}
                test-data: {id: test-gaussian-rows, rows: 90, features: 8, classes: 3}
                task: {id: test-noisy-pair}
                encoder: {id: mlp, widths: [16]}
                training: {epochs: 1, batch-size: 64}
                evaluation: {protocols: linear, label-percents: [100]}
                output: %s
                """.formatted(out);
        ResolvedRecipe r = new RecipeResolver(registry).resolve(Recipe.parse(yaml, "test", Optional.empty()), false);
        try (PretrainedRun run = new Pretrainer(registry, r, ProgressListener.none()).run()) {
            assertEquals(480, run.train().size());
            assertEquals(90, run.test().size());
            assertEquals(7, run.stats().steps());
            EvaluationTable table = new Evaluator(registry).evaluate(run);
            assertTrue(table.score(Evaluator.RAW, "linear-probe", 1.0).orElseThrow().mean() > 0.9);
        }
        // a test set of another example shape is refused when the data is read, before any training
        ResolvedRecipe wider = new RecipeResolver(registry).resolve(Recipe.parse(yaml, "test", Optional.empty())
                .withOverrides(List.of("test-data.features=9", "output=" + dir.resolve("wider"))), false);
        io.pretext.api.error.InvalidOptionException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.pretext.api.error.InvalidOptionException.class, () -> new Pretrainer(registry, wider, ProgressListener.none()).run());
        assertEquals("test-data", e.key());
        assertTrue(e.getMessage().contains("[9]") && e.getMessage().contains("[8]"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("wider")), "nothing written");
    }
}

package io.pretext.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.runtime.recipe.Recipe;
import io.pretext.runtime.recipe.RecipeResolver;
import io.pretext.runtime.recipe.ResolvedRecipe;
import io.pretext.runtime.registry.PluginRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** Every recipe in examples/ runs for a few epochs on its real table: loss decreases, artifacts are written and reload. */
class ExamplesTest {

    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
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

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            List<Path> list = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            assertFalse(list.isEmpty(), "no recipes in " + EXAMPLES);
            return list.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void runsForAFewEpochs(Path example) throws IOException {
        Path out = dir.resolve("run");
        Recipe recipe = Recipe.read(example).withOverrides(List.of("training.epochs=4", "output=" + out));
        ResolvedRecipe resolved = new RecipeResolver(registry).resolve(recipe, false);
        try (PretrainedRun run = new Pretrainer(registry, resolved, ProgressListener.none()).run()) {
            assertEquals(4, run.stats().epochs());
        }
        List<Double> losses = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(Pretrainer.METRICS_FILE))) {
            JsonNode node = JSON.readTree(line);
            if (node.get("type").asText().equals("epoch")) {
                losses.add(node.get("loss").asDouble());
            }
        }
        assertTrue(losses.get(losses.size() - 1) < losses.get(0), example.getFileName() + ": loss decreases " + losses);
        assertTrue(Files.isRegularFile(out.resolve("checkpoint/model.safetensors")));
        try (PretrainedRun reopened = SavedEncoder.open(registry, out.resolve(Pretrainer.ENCODER_FILE), List.of())) {
            assertFalse(reopened.trained().names().isEmpty());
            float[][] z = Embedder.embed(reopened.session(), reopened.encoder(), reopened.trained(), reopened.task(),
                    reopened.test().subList(0, 8), 8);
            assertEquals(8, z.length);
            for (float v : z[0]) {
                assertTrue(Float.isFinite(v));
            }
        }
    }
}

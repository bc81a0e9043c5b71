package io.pretext.runtime.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.PretextException;
import io.pretext.api.error.UnknownComponentException;
import io.pretext.runtime.registry.PluginRegistry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RecipeResolverTest {

    private static PluginRegistry registry;

    @BeforeAll
    static void load() {
        registry = PluginRegistry.fromClasspath();
    }

    @AfterAll
    static void close() {
        registry.close();
    }

    private static final String RECIPE = """
            name: noisy
            seed: 7
            data: {id: test-gaussian-rows, rows: 64}
            task: {id: test-noisy-pair, noise: 0.2}
            encoder: {id: mlp, widths: [16, 8]}
            loss: {id: info-nce, temperature: 0.2}
            backend: {id: no-such-backend}
            training: {epochs: 3, batch-size: 16}
            """;

    private ResolvedRecipe resolve(String yaml, boolean lenient, String... overrides) {
        Recipe recipe = Recipe.parse(yaml, "test", Optional.empty()).withOverrides(List.of(overrides));
        return new RecipeResolver(registry).resolve(recipe, lenient);
    }

    @Test
    void resolvesIdsOptionsAndDefaults() {
        ResolvedRecipe r = resolve(RECIPE, true);
        assertEquals(7, r.seed());
        assertEquals(64, r.data().options().getInt("rows"));
        assertEquals(8, r.data().options().getInt("features"), "default filled in");
        assertEquals(List.of(16L, 8L), r.encoder().options().getLongs("widths"));
        assertEquals(0.2, r.loss().options().getDouble("temperature"), 1e-12);
        assertEquals(3, r.training().epochs());
        assertEquals("adam", r.training().optimizer());
        assertTrue(r.notes().get(0).contains("backend 'no-such-backend' is not present"), r.notes().toString());
    }

    @Test
    void overridesWinAndAreTyped() {
        ResolvedRecipe r = resolve(RECIPE, true, "training.epochs=9", "encoder.widths=[32,4]", "seed=3", "task.noise=0.5");
        assertEquals(9, r.training().epochs());
        assertEquals(List.of(32L, 4L), r.encoder().options().getLongs("widths"));
        assertEquals(3, r.seed());
        assertEquals(0.5, r.task().options().getDouble("noise"), 1e-12);
    }

    @Test
    void unknownOptionNamesKeyAndAllowedOnes() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> resolve(RECIPE, true, "task.nosie=0.1"));
        assertEquals("task.nosie", e.key());
        assertTrue(e.getMessage().contains("allowed: noise"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'noise'"), e.getMessage());
    }

    @Test
    void badChoiceNamesAllowedValues() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> resolve(RECIPE, true, "training.optimizer=adan"));
        assertEquals("training.optimizer", e.key());
        assertTrue(e.getMessage().contains("adam, adamw, sgd"), e.getMessage());
    }

    @Test
    void wrongTypeNamesTheKey() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> resolve(RECIPE, true, "training.epochs=many"));
        assertEquals("training.epochs", e.key());
    }

    @Test
    void anEmptyRequiredOptionIsRefusedNotReadAsTheRecipeFolder() {
        Recipe recipe = Recipe.read(java.nio.file.Path.of("..", "examples", "vision-simclr-digits.yaml"));
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> new RecipeResolver(registry).resolve(recipe.withOverrides(List.of("data.path=")), true));
        assertEquals("data.path", e.key());
        assertTrue(e.getMessage().contains("may not be empty"), e.getMessage());
    }

    @Test
    void unknownIdListsKnownIds() {
        UnknownComponentException e = assertThrows(UnknownComponentException.class, () -> resolve(RECIPE, true, "encoder.id=mpl"));
        assertTrue(e.getMessage().contains("mlp"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'mlp'"), e.getMessage());
    }

    @Test
    void lossOfTheWrongKindIsRefusedWithCompatibleOnes() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> resolve(RECIPE.replace("loss: {id: info-nce, temperature: 0.2}", "loss: {id: mse}"), true));
        assertTrue(e.getMessage().contains("needs a pair loss"), e.getMessage());
        assertTrue(e.getMessage().contains("vicreg"), e.getMessage());
    }

    /** An augmentation pipeline is checked when the recipe resolves, before any data is read (describe --no-data). */
    @Test
    void aMisspeltAugmentationIsCaughtWithoutReadingData() {
        Recipe recipe = Recipe.read(java.nio.file.Path.of("..", "examples", "vision-simclr-digits.yaml"));
        RecipeResolver resolver = new RecipeResolver(registry);
        assertEquals("simclr", resolver.resolve(recipe, true).task().id());
        PretextException unknown = assertThrows(PretextException.class, () -> resolver.resolve(
                recipe.withOverrides(List.of("task.augmentations=random-afine(degrees=5)")), true));
        assertTrue(unknown.getMessage().contains("random-afine") && unknown.getMessage().contains("did you mean 'random-affine'"),
                unknown.getMessage());
        InvalidOptionException option = assertThrows(InvalidOptionException.class, () -> resolver.resolve(
                recipe.withOverrides(List.of("task.second-view-augmentations=gaussian-noise(sigma=0.1, x=1)")), true));
        assertEquals("task.second-view-augmentations[0].x", option.key());
    }

    @Test
    void anAugmentationListSetOnTheCommandLineResolvesAndNamesTheIndexedKey() {
        Recipe recipe = Recipe.read(java.nio.file.Path.of("..", "examples", "vision-simclr-digits.yaml"));
        RecipeResolver resolver = new RecipeResolver(registry);
        ResolvedRecipe r = resolver.resolve(recipe.withOverrides(List.of(
                "task.augmentations=[{id: random-affine, min-scale: 0.75, degrees: 15}, {id: gaussian-noise, sigma: 0.2}]")), true);
        List<io.pretext.api.option.ComponentValue> steps = r.task().options().getComponents("augmentations");
        assertEquals(List.of("random-affine", "gaussian-noise"), steps.stream().map(io.pretext.api.option.ComponentValue::id).toList());
        assertEquals(0.2, steps.get(1).options().getDouble("sigma"), 1e-12);
        InvalidOptionException range = assertThrows(InvalidOptionException.class, () -> resolver.resolve(recipe.withOverrides(List.of(
                "task.augmentations=[{id: random-affine}, {id: gaussian-noise, sigma: 11}]")), true));
        assertEquals("task.augmentations[1].sigma", range.key());
        assertEquals("option 'task.augmentations[1].sigma': 11 is out of range; allowed: 0 <= value <= 10", range.getMessage());
        InvalidOptionException order = assertThrows(InvalidOptionException.class, () -> resolver.resolve(recipe.withOverrides(List.of(
                "task.augmentations=[{id: random-affine, min-scale: 0.9, max-scale: 0.8}]")), true));
        assertEquals("task.augmentations[0].min-scale", order.key(), "a rule between two options names the indexed key too");
    }

    @Test
    void theStoredRecipeOfAPipelineResolvesToTheSameComponents() {
        Recipe recipe = Recipe.read(java.nio.file.Path.of("..", "examples", "vision-simclr-digits.yaml"));
        RecipeResolver resolver = new RecipeResolver(registry);
        ResolvedRecipe first = resolver.resolve(recipe, true);
        Recipe stored = Recipe.parse(Recipe.toYaml(first.toTree()), "stored", recipe.source());
        ResolvedRecipe again = resolver.resolve(stored, true);
        assertEquals(first.task().options().asMap(), again.task().options().asMap());
        assertEquals(first.toTree(), again.toTree());
    }

    @Test
    void missingBackendIsAnErrorWhenRunning() {
        UnknownComponentException e = assertThrows(UnknownComponentException.class, () -> resolve(RECIPE, false));
        assertTrue(e.getMessage().contains("no-such-backend"), e.getMessage());
    }

    @Test
    void unknownSectionIsRefused() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> resolve(RECIPE + "trainig: {epochs: 1}\n", true));
        assertTrue(e.getMessage().contains("did you mean 'training'"), e.getMessage());
    }

    @Test
    void invalidYamlNamesTheLine() {
        PretextException e = assertThrows(PretextException.class, () -> Recipe.parse("data: {id: x\ntask: [", "bad.yaml", Optional.empty()));
        assertTrue(e.getMessage().contains("bad.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains("line"), e.getMessage());
    }

    @Test
    void defaultLossFollowsTheTaskKind() {
        ResolvedRecipe r = resolve(RECIPE.replace("loss: {id: info-nce, temperature: 0.2}\n", ""), true);
        assertEquals("info-nce", r.loss().id());
    }

    @Test
    void aTaskForAnotherModalityIsRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path plugins = java.nio.file.Files.createDirectory(dir.resolve("plugins"));
        io.pretext.runtime.registry.FixtureJars.build(plugins.resolve("image-task.jar"),
                java.util.Map.of("fixture.ImageTask", io.pretext.runtime.registry.FixtureJars.taskSource("ImageTask", "image-only", "")
                        .replace("Modality.TABLE", "Modality.IMAGE")),
                java.util.Map.of(io.pretext.runtime.registry.FixtureJars.TASK_SERVICES, "fixture.ImageTask\n"));
        try (PluginRegistry withImageTask = PluginRegistry.load(getClass().getClassLoader(), List.of(plugins))) {
            InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> new RecipeResolver(withImageTask).resolve(
                    Recipe.parse(RECIPE.replace("task: {id: test-noisy-pair, noise: 0.2}", "task: {id: image-only}"), "test", Optional.empty()), true));
            assertEquals("task.id", e.key());
            assertTrue(e.getMessage().contains("works on image data"), e.getMessage());
            assertTrue(e.getMessage().contains("test-noisy-pair"), e.getMessage());
        }
    }
}

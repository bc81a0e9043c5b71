package io.pretext.runtime.train;

import io.pretext.api.Backend;
import io.pretext.api.EncoderModel;
import io.pretext.api.TaskModel;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.error.PretextException;
import io.pretext.api.model.ParameterSet;
import io.pretext.runtime.checkpoint.EncoderFile;
import io.pretext.runtime.recipe.DataFiles;
import io.pretext.runtime.recipe.Recipe;
import io.pretext.runtime.recipe.RecipeResolver;
import io.pretext.runtime.recipe.ResolvedRecipe;
import io.pretext.runtime.registry.PluginRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reopens an exported encoder file (from {@code pretrain}) for evaluation, on its recipe's data or another. */
public final class SavedEncoder {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SavedEncoder.class);


    private SavedEncoder() {
    }

    /**
     * Rebuilds a run from an encoder file: the recipe stored in it (with overrides), the data split of
     * the same seed, the task bound with the saved preprocessing, the trained encoder parameters and the
     * untrained ones of the same seed.
     */
    public static PretrainedRun open(PluginRegistry registry, Path file, List<String> overrides) {
        return open(registry, file, overrides, Optional.empty());
    }

    /** As {@link #open(PluginRegistry, Path, List)}, evaluating on {@code data} (the data source's file option) when given. */
    public static PretrainedRun open(PluginRegistry registry, Path file, List<String> overrides, Optional<Path> data) {
        EncoderFile encoderFile = EncoderFile.read(file);
        Recipe recipe = encoderFile.recipe(List.of());
        List<String> all = new java.util.ArrayList<>(overrides);
        if (data.isPresent()) {
            recipe = DataFiles.pointAt(recipe, registry, data.get(), encoderFile.inputShape());
            // evaluation holds the given file in memory, however pretraining read its own data
            all.add(0, "training.streaming=false");
        }
        Recipe stored = recipe;
        recipe = recipe.withOverrides(all);
        ResolvedRecipe resolved = new RecipeResolver(registry).resolve(recipe, false);
        if (data.isEmpty() && resolved.testData().isEmpty()) {
            ResolvedRecipe trained = new RecipeResolver(registry).resolve(stored, true);
            if (trained.seed() != resolved.seed() || trained.evaluation().testFraction() != resolved.evaluation().testFraction()) {
                LOG.warn("the held-out split differs from pretraining's (seed {} -> {}, test-fraction {} -> {}): rows the encoder was "
                        + "pretrained on are now test rows, which flatters it; keep seed and evaluation.test-fraction, or evaluate on "
                        + "other data with --data", trained.seed(), resolved.seed(), trained.evaluation().testFraction(),
                        resolved.evaluation().testFraction());
            }
        }
        LoadedData loaded;
        try {
            loaded = LoadedData.load(resolved);
        } catch (PretextException e) {
            throw new PretextException("evaluating " + file + " on its recipe's data options " + resolved.data().options()
                    + " failed: " + e.getMessage() + " (another file may need other data options: pretext plugins "
                    + resolved.data().id() + " lists them; set them with --set data.KEY=VALUE)", e);
        }
        EncoderModel encoder = encoderFile.buildEncoder(registry); // checks the parameters fit
        TaskModel model = TaskAssembly.bind(registry, resolved, loaded.info(), loaded.train(), encoder, Optional.of(encoderFile.preprocessing()));
        ParameterSet initial = ParameterSet.initialize(encoder.parameters(), resolved.seed());
        Backend backend = (Backend) resolved.backend().require().provider();
        BackendSession session = backend.open(new BackendSettings(resolved.backendThreads()[0], resolved.backendThreads()[1], resolved.seed()));
        PretrainedRun.RunStats stats = encoderFile.provenance()
                .map(p -> new PretrainedRun.RunStats(p.epochs(), p.steps(), p.finalLoss(), Double.NaN, 0))
                .orElse(new PretrainedRun.RunStats(0, 0, Double.NaN, Double.NaN, 0));
        return new PretrainedRun(resolved, session, loaded.info(), loaded.train(), loaded.test(), encoder, model, initial,
                encoderFile.parameters(), stats, file);
    }
}

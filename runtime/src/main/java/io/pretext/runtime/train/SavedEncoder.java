package io.pretext.runtime.train;

import io.pretext.api.Backend;
import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.Loss;
import io.pretext.api.PretextTask;
import io.pretext.api.TaskContext;
import io.pretext.api.TaskModel;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.backend.BackendSettings;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.error.PretextException;
import io.pretext.api.model.ParameterSet;
import io.pretext.runtime.checkpoint.Provenance;
import io.pretext.runtime.checkpoint.SafeTensors;
import io.pretext.runtime.recipe.Recipe;
import io.pretext.runtime.recipe.RecipeResolver;
import io.pretext.runtime.recipe.ResolvedRecipe;
import io.pretext.runtime.registry.PluginRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reopens an exported encoder file (from {@code pretrain}) for evaluation, on its recipe's data or another. */
public final class SavedEncoder {

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
    @SuppressWarnings("unchecked")
    public static PretrainedRun open(PluginRegistry registry, Path file, List<String> overrides, Optional<Path> data) {
        SafeTensors.Contents contents = SafeTensors.read(file);
        String yaml = contents.metadata().get("recipe");
        if (yaml == null || !"pretext-encoder-1".equals(contents.metadata().get("format"))) {
            throw new PretextException(file + " is not an encoder exported by pretext pretrain (no recipe in its metadata)");
        }
        Path base = Path.of(contents.metadata().getOrDefault("base_directory", "."));
        Recipe recipe = Recipe.parse(yaml, file + " (stored recipe)", Optional.of(base.resolve("recipe.yaml"))).withOverrides(overrides);
        if (data.isPresent()) {
            java.util.Map<String, Object> tree = new java.util.LinkedHashMap<>(recipe.tree());
            java.util.Map<String, Object> section = new java.util.LinkedHashMap<>(recipe.section("data"));
            io.pretext.runtime.recipe.DataFiles.pointAt(section,
                    registry.get(io.pretext.api.DataSource.class, String.valueOf(section.get("id"))), data.get().toString());
            tree.put("data", section);
            tree.remove("test-data"); // evaluating on another file: the runtime splits it
            recipe = new Recipe(tree, recipe.source());
        }
        ResolvedRecipe resolved = new RecipeResolver(registry).resolve(recipe, false);
        DatasetInfo[] info = new DatasetInfo[1];
        List<List<Example>> split;
        try {
            split = Pretrainer.loadAndSplit(resolved, info);
        } catch (PretextException e) {
            throw new PretextException("evaluating " + file + " on its recipe's data options " + resolved.data().options()
                    + " failed: " + e.getMessage() + " (data read for another file may need --set data.label=... and the other data options)", e);
        }
        PretextTask task = (PretextTask) resolved.task().require().provider();
        EncoderModel encoder = ((Encoder) resolved.encoder().require().provider()).create(resolved.encoder().options(),
                task.encoderInputShape(info[0], resolved.task().options()), "encoder");
        ParameterSet all = contents.tensors();
        ParameterSet preprocessing = new ParameterSet(all.filter(n -> n.startsWith(Pretrainer.PREPROCESSING_PREFIX)).asMap().entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(e -> e.getKey().substring(Pretrainer.PREPROCESSING_PREFIX.length()),
                        java.util.Map.Entry::getValue, (a, b) -> a, java.util.LinkedHashMap::new)));
        ParameterSet trained = all.filter(n -> !n.startsWith(Pretrainer.PREPROCESSING_PREFIX));
        try {
            trained.checkMatches(encoder.parameters());
        } catch (IllegalArgumentException e) {
            throw new PretextException(file + " does not fit encoder '" + resolved.encoder().id() + "' of its recipe: " + e.getMessage(), e);
        }
        Loss lossProvider = (Loss) resolved.loss().require().provider();
        TaskModel model = task.bind(new TaskContext(registry, info[0], split.get(0), encoder, lossProvider.create(resolved.loss().options()),
                Optional.of(preprocessing), resolved.seed()), resolved.task().options());
        ParameterSet initial = ParameterSet.initialize(encoder.parameters(), resolved.seed());
        Backend backend = (Backend) resolved.backend().require().provider();
        BackendSession session = backend.open(new BackendSettings(resolved.backendThreads()[0], resolved.backendThreads()[1], resolved.seed()));
        Provenance provenance = contents.metadata().containsKey("provenance") ? Provenance.fromJson(contents.metadata().get("provenance")) : null;
        PretrainedRun.RunStats stats = provenance == null ? new PretrainedRun.RunStats(0, 0, Double.NaN, Double.NaN, 0)
                : new PretrainedRun.RunStats(provenance.epochs(), provenance.steps(), provenance.finalLoss(), Double.NaN, 0);
        return new PretrainedRun(resolved, session, info[0], split.get(0), split.get(1), encoder, model, initial, trained, stats, file);
    }
}

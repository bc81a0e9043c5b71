package io.pretext.runtime.embed;

import io.pretext.runtime.checkpoint.EncoderFile;
import io.pretext.api.DataSource;
import io.pretext.api.EncoderModel;
import io.pretext.api.TaskModel;
import io.pretext.api.data.Dataset;
import io.pretext.api.data.DatasetInfo;
import io.pretext.runtime.recipe.Recipe;
import io.pretext.runtime.recipe.RecipeResolver;
import io.pretext.runtime.recipe.ResolvedRecipe;
import io.pretext.runtime.registry.PluginRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * New data read and encoded exactly as the encoder's pretraining did: the stored recipe's data
 * source (its options, with the path replaced), and its pretext task bound with the saved
 * preprocessing state, whose {@link TaskModel#encoderInputs} turns raw rows into encoder inputs.
 * Nothing is fitted again, and no training backend is needed.
 */
final class RecipeBinding implements AutoCloseable {

    private final ResolvedRecipe recipe;
    private final Dataset dataset;
    private final TaskModel task;
    private final EncoderModel encoder;

    private RecipeBinding(ResolvedRecipe recipe, Dataset dataset, TaskModel task, EncoderModel encoder) {
        this.recipe = recipe;
        this.dataset = dataset;
        this.task = task;
        this.encoder = encoder;
    }

    /**
     * @param registry providers (data source, task, encoder and loss of the recipe; the backend may be absent)
     * @param file the encoder and its recipe
     * @param data the data to embed, in the table layout pretraining read
     * @param overrides {@code key=value} overrides of the stored recipe, e.g. {@code data.label=none}
     * @return the opened data and the bound task; close it to release the data source
     */
    static RecipeBinding open(PluginRegistry registry, EncoderFile file, Path data, List<String> overrides) {
        Recipe stored = io.pretext.runtime.recipe.DataFiles.pointAt(file.recipe(List.of()), registry, data, file.inputShape())
                .withOverrides(overrides);
        ResolvedRecipe resolved = new RecipeResolver(registry).resolve(stored, true);
        DataSource source = (DataSource) resolved.data().require().provider();
        Dataset dataset = source.open(resolved.data().options(), resolved.baseDirectory());
        try {
            DatasetInfo info = dataset.info();
            // the task checks that this data encodes to the encoder's input, with the trained encoding
            EncoderModel encoder = file.buildEncoder(registry);
            TaskModel task = io.pretext.runtime.train.TaskAssembly.bind(registry, resolved, info, List.of(), encoder,
                    Optional.of(file.preprocessing()));
            return new RecipeBinding(resolved, dataset, task, encoder);
        } catch (RuntimeException e) {
            dataset.close();
            throw e;
        }
    }

    ResolvedRecipe recipe() {
        return recipe;
    }

    Dataset dataset() {
        return dataset;
    }

    TaskModel task() {
        return task;
    }

    EncoderModel encoder() {
        return encoder;
    }

    @Override
    public void close() {
        dataset.close();
    }
}

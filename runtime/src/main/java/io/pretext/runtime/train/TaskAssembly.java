package io.pretext.runtime.train;

import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.Loss;
import io.pretext.api.LossFunction;
import io.pretext.api.PretextTask;
import io.pretext.api.TaskContext;
import io.pretext.api.TaskModel;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.model.PreprocessingState;
import io.pretext.api.tensor.Shape;
import io.pretext.runtime.recipe.ResolvedRecipe;
import io.pretext.runtime.registry.PluginRegistry;
import java.util.Optional;

/**
 * Builds a recipe's encoder and binds its task, the one way every command does it (pretrain,
 * evaluate, describe), with a plugin's own failure reported by plugin and jar.
 */
public final class TaskAssembly {

    private TaskAssembly() {
    }

    /** The recipe's encoder, for the input width its task feeds from this data. */
    public static EncoderModel encoder(ResolvedRecipe recipe, DatasetInfo info) {
        PretextTask task = (PretextTask) recipe.task().require().provider();
        Shape input = PluginCalls.call(recipe.task(), "encoderInputShape", () -> task.encoderInputShape(info, recipe.task().options()));
        return PluginCalls.call(recipe.encoder(), "create",
                () -> ((Encoder) recipe.encoder().require().provider()).create(recipe.encoder().options(), input, "encoder"));
    }

    /**
     * Creates the recipe's loss and binds its task around {@code encoder}.
     *
     * @param trainingData the rows the task may fit statistics on
     * @param savedPreprocessing the statistics of a finished run, to encode exactly as it did
     */
    public static TaskModel bind(PluginRegistry registry, ResolvedRecipe recipe, DatasetInfo info, Iterable<Example> trainingData,
                                 EncoderModel encoder, Optional<PreprocessingState> savedPreprocessing) {
        PretextTask task = (PretextTask) recipe.task().require().provider();
        LossFunction loss = PluginCalls.call(recipe.loss(), "create",
                () -> ((Loss) recipe.loss().require().provider()).create(recipe.loss().options()));
        return PluginCalls.call(recipe.task(), "bind", () -> task.bind(new TaskContext(registry, info, trainingData, encoder, loss,
                savedPreprocessing, recipe.seed()), recipe.task().options()));
    }
}

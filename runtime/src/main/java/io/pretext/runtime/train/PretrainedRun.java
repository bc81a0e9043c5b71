package io.pretext.runtime.train;

import io.pretext.api.EncoderModel;
import io.pretext.api.TaskModel;
import io.pretext.api.backend.BackendSession;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.model.ParameterSet;
import io.pretext.runtime.recipe.ResolvedRecipe;
import java.nio.file.Path;
import java.util.List;

/**
 * What a pretraining run leaves for evaluation in the same process: the open backend session,
 * the models, the untrained and trained parameters and the data split.
 *
 * @param recipe the resolved recipe
 * @param session the backend session (closed with this run)
 * @param info the data set's description
 * @param train training split (pretraining used only these rows)
 * @param test held-out split (empty for unlabeled data)
 * @param encoder the encoder
 * @param task the bound task model
 * @param initial parameters before training (the "random encoder" control)
 * @param trained parameters after training
 * @param stats measured figures of the run
 * @param encoderFile the exported encoder
 */
public record PretrainedRun(ResolvedRecipe recipe, BackendSession session, DatasetInfo info, List<Example> train, List<Example> test,
                            EncoderModel encoder, TaskModel task, ParameterSet initial, ParameterSet trained, RunStats stats,
                            Path encoderFile) implements AutoCloseable {

    /**
     * Measured figures of a run.
     *
     * @param epochs epochs run
     * @param steps optimizer steps
     * @param finalLoss mean loss of the last epoch
     * @param rowsPerSecond training rows per second over whole epochs, loader included (epochs 2.. when there are several)
     * @param seconds wall time of the training loop
     */
    public record RunStats(int epochs, long steps, double finalLoss, double rowsPerSecond, double seconds) {
    }

    @Override
    public void close() {
        session.close();
    }
}

package io.pretext.api;

import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.model.PreprocessingState;
import java.util.Optional;

/**
 * What the runtime hands a pretext task when binding it to a run.
 *
 * @param registry to reach other components by id (heads, augmentations)
 * @param data description of the training data
 * @param trainingData a pass over the training split only, e.g. to fit column statistics
 * @param encoder the configured encoder whose parameters the task trains
 * @param loss the configured loss, of the kind the task declared
 * @param savedPreprocessing the {@linkplain TaskModel#preprocessingState() state} an encoder file kept, when re-binding to
 *     evaluate or embed: the task restores it instead of fitting
 * @param seed the run's seed
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record TaskContext(ComponentRegistry registry, DatasetInfo data, Iterable<Example> trainingData, EncoderModel encoder,
                          LossFunction loss, Optional<PreprocessingState> savedPreprocessing, long seed) {
}

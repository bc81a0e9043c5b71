package io.pretext.api;

import io.pretext.api.data.Example;
import io.pretext.api.model.Batch;
import io.pretext.api.model.Objective;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.PreprocessingState;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A pretext task bound to a run: it knows the data, the encoder and the loss.
 *
 * <p>{@link #prepare} runs on loader threads (host side, augmentations); {@link #objective} runs
 * on the backend. {@link #encoderInputs} gives the clean encoder input used for embedding and
 * evaluation, so downstream code never needs to know the modality's preprocessing.
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public interface TaskModel {

    /** Name of the clean encoder input in batches made by {@link #encoderInputs}. */
    String ENCODER_INPUT = "input";

    /** @return every parameter the objective reads: the encoder's and the task's heads */
    List<ParamSpec> parameters();

    /**
     * Builds the pretext batch (views, masks, targets). Thread-safe: called concurrently by
     * loader workers, each with its own random stream.
     *
     * @param examples raw examples
     * @param random the worker's random stream
     * @return the host batch the objective reads
     */
    Batch prepare(List<Example> examples, SplittableRandom random);

    /** @return the loss the backend minimizes */
    Objective objective();

    /**
     * @param examples raw examples
     * @return a batch with one input {@link #ENCODER_INPUT} that the encoder consumes unchanged
     */
    Batch encoderInputs(List<Example> examples);

    /**
     * What the task fitted on the training data (column means, column and category names) and an
     * encoder file must keep, so that {@link #encoderInputs} of a task bound later with it
     * ({@link TaskContext#savedPreprocessing()}) turns new data into the same inputs.
     *
     * @return the fitted state; {@link PreprocessingState#EMPTY} when the task fits nothing
     */
    PreprocessingState preprocessingState();
}

package io.pretext.api;

import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Modality;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;

/**
 * A self-supervised objective: SCARF, SimCLR, masked autoencoding, frame-order prediction, or a
 * user's own. Declares its modality and the loss kind it needs, so any loss of that kind can be
 * swapped in (SCARF with InfoNCE, VICReg or Barlow Twins).
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public non-sealed interface PretextTask extends Provider {

    /** @return the modality it trains on */
    Modality modality();

    /** @return the kind of loss it feeds */
    LossKind lossKind();

    /**
     * @param context the run: data, encoder, loss, registry, seed
     * @param options validated options of this task
     * @return the task bound to the run
     */
    TaskModel bind(TaskContext context, Options options);

    /**
     * Checks of this task's options that need other providers, such as an augmentation pipeline
     * that names augmentations and their options. The runtime calls it when a recipe resolves,
     * before any data is read, so {@code pretext describe --no-data} catches a misspelt
     * augmentation as {@code pretrain} would. By default there is nothing to check.
     *
     * @param options validated options of this task
     * @param registry the installed providers
     * @throws io.pretext.api.error.InvalidOptionException naming the option that is wrong
     */
    default void check(Options options, ComponentRegistry registry) {
    }

    /**
     * The per-example shape of what this task feeds the encoder ({@link TaskModel#ENCODER_INPUT}),
     * which the runtime builds the encoder for before calling {@link #bind}. It differs from the
     * data's example shape when the task encodes examples, e.g. one-hot categorical columns of a
     * table. Must depend only on the data description and the options, so that an evaluation run
     * on another file of the same schema builds the same encoder.
     *
     * @param data description of the data the task will be bound to
     * @param options validated options of this task
     * @return the encoder's input shape (no batch axis); by default {@code data.exampleShape()}
     */
    default Shape encoderInputShape(DatasetInfo data, Options options) {
        return data.exampleShape();
    }
}

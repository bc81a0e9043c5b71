package io.pretext.api;

import io.pretext.api.option.Options;
import io.pretext.api.tensor.Shape;

/**
 * A network family (MLP, CNN, ResNet, Transformer, ViT) that builds an {@link EncoderModel} for a
 * given input shape. Also used for heads: a projection head is an encoder named {@code head}.
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public non-sealed interface Encoder extends Provider {

    /**
     * @param options validated options of this encoder
     * @param inputShape per-example input shape (no batch axis)
     * @param scope parameter-name prefix, e.g. {@code encoder} or {@code head}
     * @return the configured network
     * @throws io.pretext.api.error.ShapeException when the input shape does not suit this encoder
     */
    EncoderModel create(Options options, Shape inputShape, String scope);
}

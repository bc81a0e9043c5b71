package io.pretext.layers;

import io.pretext.api.ApiStatus;
import io.pretext.api.tensor.Tensor;
import java.util.Objects;
import java.util.Optional;

/**
 * Which keys each query of a self-attention may look at. A padding mask hides the padding at the
 * end of shorter sequences in a batch: no token attends to a padded position, so what stands there
 * changes nothing else. A causal mask hides the future: position i attends to positions up to i
 * only (next-token prediction). Both may be combined: {@code AttentionMask.ofPadding(keep).withCausal()}.
 * {@link #NONE} lets every token see every token.
 *
 * @param padding [batch, tokens], 1 for a real token and 0 for padding (any dtype); empty for no padding
 * @param causal whether position i may see positions up to i only
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public record AttentionMask(Optional<Tensor> padding, boolean causal) {

    /** Every token sees every token. */
    public static final AttentionMask NONE = new AttentionMask(Optional.empty(), false);
    /** Position i sees positions up to i only. */
    public static final AttentionMask CAUSAL = new AttentionMask(Optional.empty(), true);

    /** Checks for null. */
    public AttentionMask {
        Objects.requireNonNull(padding, "padding");
    }

    /**
     * @param keep [batch, tokens], 1 for a real token and 0 for padding
     * @return a mask that hides the padding
     */
    public static AttentionMask ofPadding(Tensor keep) {
        return new AttentionMask(Optional.of(keep), false);
    }

    /** @return this mask, also hiding the future */
    public AttentionMask withCausal() {
        return new AttentionMask(padding, true);
    }

    /** @return whether this mask hides nothing */
    public boolean isNone() {
        return padding.isEmpty() && !causal;
    }
}

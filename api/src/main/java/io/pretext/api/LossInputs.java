package io.pretext.api;

import io.pretext.api.tensor.Tensor;
import java.util.Optional;

/** What a task hands a loss, one record per {@link LossKind}. */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public sealed interface LossInputs permits LossInputs.Pair, LossInputs.Reconstruction, LossInputs.Classification {

    /** @return the kind these inputs are for */
    LossKind kind();

    /**
     * Two views' embeddings; row i of {@code first} and row i of {@code second} are a positive pair,
     * all other rows negatives.
     *
     * @param first [N, D] embeddings of the first view (the anchor)
     * @param second [N, D] embeddings of the second view
     */
    record Pair(Tensor first, Tensor second) implements LossInputs {
        @Override
        public LossKind kind() {
            return LossKind.PAIR;
        }
    }

    /**
     * @param prediction the model's reconstruction
     * @param target what it should have been
     * @param weights per-element weights of the same shape (e.g. 1 on masked positions), or empty for all
     */
    record Reconstruction(Tensor prediction, Tensor target, Optional<Tensor> weights) implements LossInputs {
        @Override
        public LossKind kind() {
            return LossKind.RECONSTRUCTION;
        }
    }

    /**
     * @param logits [N, C] unnormalized scores
     * @param labels [N] int32 class indices
     */
    record Classification(Tensor logits, Tensor labels) implements LossInputs {
        @Override
        public LossKind kind() {
            return LossKind.CLASSIFICATION;
        }
    }
}

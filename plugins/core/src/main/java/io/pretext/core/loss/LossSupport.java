package io.pretext.core.loss;

import io.pretext.api.LossInputs;
import io.pretext.api.LossKind;
import io.pretext.api.error.ShapeException;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;

/** Small pieces shared by the losses: input checks and constant matrices built on the host. */
final class LossSupport {
    private LossSupport() {
    }

    static LossInputs.Pair pair(String loss, LossInputs inputs) {
        if (inputs instanceof LossInputs.Pair p) {
            Shape a = p.first().shape();
            Shape b = p.second().shape();
            if (a.rank() != 2 || !a.equals(b)) {
                throw new ShapeException(loss, "needs two [N, D] embeddings of equal shape, got " + a + " and " + b);
            }
            if (a.dim(0) < 2) {
                throw new ShapeException(loss, "needs at least 2 rows to have negatives, got " + a);
            }
            return p;
        }
        throw new IllegalArgumentException("loss '" + loss + "' is a " + LossKind.PAIR + " loss; got " + inputs.kind() + " inputs");
    }

    /** @return the n x n identity as a float constant */
    static Tensor identity(Ops ops, int n) {
        float[] d = new float[n * n];
        for (int i = 0; i < n; i++) {
            d[i * n + i] = 1f;
        }
        return ops.constant(HostTensor.of(Shape.of(n, n), d));
    }

    /** @return the n x n matrix of ones minus the identity */
    static Tensor offDiagonal(Ops ops, int n) {
        float[] d = new float[n * n];
        java.util.Arrays.fill(d, 1f);
        for (int i = 0; i < n; i++) {
            d[i * n + i] = 0f;
        }
        return ops.constant(HostTensor.of(Shape.of(n, n), d));
    }

    /** @return squared Euclidean distances between rows of a [N, D] and rows of b [M, D] */
    static Tensor squaredDistances(Ops ops, Tensor a, Tensor b) {
        Tensor aa = ops.sum(ops.square(a), new int[] {1}, true);
        Tensor bb = ops.reshape(ops.sum(ops.square(b), new int[] {1}, false), Shape.of(1, b.shape().dim(0)));
        Tensor ab = ops.matmul(a, b, false, true);
        // Rounding can make the expansion slightly negative; distances are never below zero.
        return ops.maximum(ops.sub(ops.add(aa, bb), ops.mul(ab, ops.scalar(2f))), ops.scalar(0f));
    }

    /** @return Euclidean distances with a floor under the root so its gradient stays finite at zero */
    static Tensor distances(Ops ops, Tensor a, Tensor b) {
        return ops.sqrt(ops.maximum(squaredDistances(ops, a, b), ops.scalar(1e-12f)));
    }

    /**
     * The mean over rows of the softmax cross-entropy between logits [N, C] and a target
     * distribution per row [N, C]. Through the op, never spelled out: a backend runs its fused
     * kernel where it has one (TensorFlow, for constant targets such as InfoNCE's identity).
     */
    static Tensor softCrossEntropy(Ops ops, Tensor logits, Tensor targets) {
        return ops.mean(ops.softmaxCrossEntropy(logits, targets), new int[0], false);
    }
}

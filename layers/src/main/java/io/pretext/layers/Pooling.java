package io.pretext.layers;

import io.pretext.api.ApiStatus;
import io.pretext.api.error.ShapeException;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Padding;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;

/**
 * Pooling, which has no parameters: windowed max and average pooling and global average and max
 * pooling of image activations (in the backend layout), and the mean over the tokens of a sequence,
 * optionally skipping padding.
 */
@ApiStatus(ApiStatus.Status.EXPERIMENTAL)
public final class Pooling {
    private Pooling() {
    }

    /**
     * @param ops op set
     * @param x image activation in the backend layout
     * @param window window side
     * @param stride stride in both directions
     * @param padding {@code SAME} or {@code VALID}
     * @return the maximum over each window
     */
    public static Tensor max(Ops ops, Tensor x, int window, int stride, Padding padding) {
        return ops.maxPool2d(x, window, stride, padding);
    }

    /**
     * @param ops op set
     * @param x image activation in the backend layout
     * @param window window side
     * @param stride stride in both directions
     * @param padding {@code SAME} or {@code VALID}
     * @return the mean over each window
     */
    public static Tensor average(Ops ops, Tensor x, int window, int stride, Padding padding) {
        return ops.avgPool2d(x, window, stride, padding);
    }

    /**
     * @param ops op set
     * @param x image activation in the backend layout
     * @return the mean over the spatial axes, [batch, channels]
     */
    public static Tensor globalAverage(Ops ops, Tensor x) {
        requireImage("global-average-pool", x);
        return ops.mean(x, ImageAxes.spatial(ops), false);
    }

    /**
     * @param ops op set
     * @param x image activation in the backend layout
     * @return the maximum over the spatial axes, [batch, channels]
     */
    public static Tensor globalMax(Ops ops, Tensor x) {
        requireImage("global-max-pool", x);
        return ops.max(x, ImageAxes.spatial(ops), false);
    }

    /**
     * @param ops op set
     * @param tokens [batch, tokens, width]
     * @return the mean over the tokens, [batch, width]
     */
    public static Tensor meanOverTokens(Ops ops, Tensor tokens) {
        requireTokens(tokens);
        return ops.mean(tokens, new int[] {1}, false);
    }

    /**
     * The mean over the tokens that are not padding, as a sentence embedding is pooled.
     *
     * @param ops op set
     * @param tokens [batch, tokens, width]
     * @param keep [batch, tokens], 1 for a real token and 0 for padding (any dtype; cast to float)
     * @return the mean over each row's real tokens, [batch, width]; zeros for a row without any
     */
    public static Tensor meanOverTokens(Ops ops, Tensor tokens, Tensor keep) {
        requireTokens(tokens);
        Shape s = tokens.shape();
        if (!keep.shape().equals(Shape.of(s.dim(0), s.dim(1)))) {
            throw new ShapeException("mean-over-tokens", "the padding mask must be [batch, tokens] = " + Shape.of(s.dim(0), s.dim(1))
                    + ", got " + keep.shape());
        }
        Tensor weights = ops.reshape(keep.dtype() == DType.FLOAT32 ? keep : ops.cast(keep, DType.FLOAT32), Shape.of(s.dim(0), s.dim(1), 1));
        Tensor sum = ops.sum(ops.mul(tokens, weights), new int[] {1}, false);
        Tensor count = ops.maximum(ops.sum(weights, new int[] {1}, false), ops.scalar(1f));
        return ops.div(sum, count);
    }

    private static void requireImage(String op, Tensor x) {
        if (x.shape().rank() != 4) {
            throw new ShapeException(op, "takes a rank-4 image activation, got " + x.shape());
        }
    }

    private static void requireTokens(Tensor x) {
        if (x.shape().rank() != 3) {
            throw new ShapeException("mean-over-tokens", "takes tokens [batch, tokens, width], got " + x.shape());
        }
    }
}

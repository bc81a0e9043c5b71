package io.pretext.testkit.conformance;

import static io.pretext.testkit.conformance.OpCase.awayFromZero;
import static io.pretext.testkit.conformance.OpCase.operand;
import static io.pretext.testkit.conformance.OpCase.spaced;
import static io.pretext.testkit.conformance.OpCase.uniform;

import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.ImageLayout;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Padding;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every op of {@link Ops} as one or more {@link OpCase}s on small inputs: broadcasting, negative
 * axes, transposed and batched matrix products, padding rules, non-last softmax axes, the paths a
 * backend may fuse (a bias add, cross-entropy against constant distributions) and those it may
 * not. Image ops take NHWC operands, enter the backend's layout with {@link Ops#fromNhwc} and
 * leave it again, so the cases hold for NCHW backends too. A case's name starts with the op it
 * checks; a test derives the covered ops from the names and fails for an op of {@link Ops} that
 * has no case. Dropout and stopGradient are random or gradient-blocking by nature and are checked
 * by dedicated tests in {@link BackendConformanceSuite}, named after them.
 */
public final class OpCatalog {
    private OpCatalog() {
    }

    private static final OpCase.Values ANY = uniform(-1, 1);
    private static final OpCase.Values WIDE = uniform(-2, 2);
    private static final OpCase.Values POSITIVE = uniform(0.3, 2.5);
    private static final OpCase.Values NONZERO = awayFromZero(0.1, 1.5);

    private static OpCase.Operand of(OpCase.Values values, int... dims) {
        return operand(Shape.of(dims), values);
    }

    private static OpCase diff(String name, OpCase.Function f, OpCase.Operand... operands) {
        return new OpCase(name, List.of(operands), f, true);
    }

    private static OpCase forwardOnly(String name, OpCase.Function f, OpCase.Operand... operands) {
        return new OpCase(name, List.of(operands), f, false);
    }

    private static Tensor ints(Ops ops, Shape shape, int... values) {
        return ops.constant(HostTensor.of(shape, values));
    }

    /**
     * @param ops an op set
     * @param x a rank-4 activation in {@code ops.imageLayout()}
     * @return the same activation in NHWC, for comparison with the reference
     */
    static Tensor toNhwc(Ops ops, Tensor x) {
        return ops.imageLayout() == ImageLayout.NHWC ? x : ops.transpose(x, 0, 2, 3, 1);
    }

    /** @return every case, in a stable order */
    public static List<OpCase> all() {
        List<OpCase> c = new ArrayList<>();
        elementwise(c);
        linearAlgebra(c);
        reductions(c);
        shapes(c);
        probabilities(c);
        images(c);
        values(c);
        return List.copyOf(c);
    }

    private static void elementwise(List<OpCase> c) {
        OpCase.Operand m34 = of(ANY, 3, 4);
        c.add(diff("add same shape", (ops, in) -> ops.add(in.get(0), in.get(1)), m34, m34));
        c.add(diff("add bias [3,4]+[4]", (ops, in) -> ops.add(in.get(0), in.get(1)), m34, of(ANY, 4)));
        c.add(diff("add bias first [4]+[3,4]", (ops, in) -> ops.add(in.get(0), in.get(1)), of(ANY, 4), m34));
        c.add(diff("add broadcast [2,3,4]+[3,1]", (ops, in) -> ops.add(in.get(0), in.get(1)), of(ANY, 2, 3, 4), of(ANY, 3, 1)));
        c.add(diff("add scalar", (ops, in) -> ops.add(in.get(0), ops.scalar(0.75f)), m34));
        c.add(diff("sub broadcast [3,4]-[1,4]", (ops, in) -> ops.sub(in.get(0), in.get(1)), m34, of(ANY, 1, 4)));
        c.add(diff("mul broadcast [3,4]*[3,1]", (ops, in) -> ops.mul(in.get(0), in.get(1)), m34, of(ANY, 3, 1)));
        c.add(diff("div [3,4]/[4]", (ops, in) -> ops.div(in.get(0), in.get(1)), m34, of(NONZERO, 4)));
        c.add(diff("pow [3,4]^[4]", (ops, in) -> ops.pow(in.get(0), in.get(1)), of(POSITIVE, 3, 4), of(uniform(-1.5, 1.5), 4)));
        // Grids offset by half a step: the two operands never tie, so the winner is clear.
        c.add(diff("maximum [3,4],[4]", (ops, in) -> ops.maximum(in.get(0), in.get(1)), of(spaced(0, 0.2), 3, 4),
                of(spaced(0.1, 0.2), 4)));
        c.add(diff("minimum [3,4],[3,4]", (ops, in) -> ops.minimum(in.get(0), in.get(1)), of(spaced(0, 0.2), 3, 4),
                of(spaced(0.1, 0.2), 3, 4)));
        c.add(diff("neg", (ops, in) -> ops.neg(in.get(0)), m34));
        c.add(diff("exp", (ops, in) -> ops.exp(in.get(0)), of(WIDE, 3, 4)));
        c.add(diff("log", (ops, in) -> ops.log(in.get(0)), of(POSITIVE, 3, 4)));
        c.add(diff("sqrt", (ops, in) -> ops.sqrt(in.get(0)), of(POSITIVE, 3, 4)));
        c.add(diff("rsqrt", (ops, in) -> ops.rsqrt(in.get(0)), of(POSITIVE, 3, 4)));
        c.add(diff("square", (ops, in) -> ops.square(in.get(0)), of(WIDE, 3, 4)));
        c.add(diff("abs", (ops, in) -> ops.abs(in.get(0)), of(NONZERO, 3, 4)));
        c.add(diff("erf", (ops, in) -> ops.erf(in.get(0)), of(WIDE, 3, 4)));
        c.add(diff("relu", (ops, in) -> ops.relu(in.get(0)), of(NONZERO, 3, 4)));
        c.add(diff("sigmoid", (ops, in) -> ops.sigmoid(in.get(0)), of(uniform(-4, 4), 3, 4)));
        c.add(diff("tanh", (ops, in) -> ops.tanh(in.get(0)), of(WIDE, 3, 4)));
        c.add(diff("softplus", (ops, in) -> ops.softplus(in.get(0)), of(uniform(-4, 4), 3, 4)));
        c.add(diff("gelu", (ops, in) -> ops.gelu(in.get(0)), of(uniform(-3, 3), 3, 4)));
        c.add(diff("scalar in a product", (ops, in) -> ops.mul(ops.scalar(-1.5f), in.get(0)), m34));
    }

    private static void linearAlgebra(List<OpCase> c) {
        c.add(diff("matmul", (ops, in) -> ops.matmul(in.get(0), in.get(1)), of(ANY, 3, 4), of(ANY, 4, 5)));
        c.add(diff("matmul transposeA", (ops, in) -> ops.matmul(in.get(0), in.get(1), true, false), of(ANY, 4, 3), of(ANY, 4, 5)));
        c.add(diff("matmul transposeB", (ops, in) -> ops.matmul(in.get(0), in.get(1), false, true), of(ANY, 3, 4), of(ANY, 5, 4)));
        c.add(diff("matmul transposeA transposeB", (ops, in) -> ops.matmul(in.get(0), in.get(1), true, true), of(ANY, 4, 3),
                of(ANY, 5, 4)));
        c.add(diff("matmul batched [2,3,4]x[2,4,5]", (ops, in) -> ops.matmul(in.get(0), in.get(1)), of(ANY, 2, 3, 4), of(ANY, 2, 4, 5)));
        c.add(diff("matmul broadcast [2,3,4]x[4,5]", (ops, in) -> ops.matmul(in.get(0), in.get(1)), of(ANY, 2, 3, 4), of(ANY, 4, 5)));
        c.add(diff("matmul broadcast batch [2,1,3,4]x[3,2,4]^T", (ops, in) -> ops.matmul(in.get(0), in.get(1), false, true),
                of(ANY, 2, 1, 3, 4), of(ANY, 3, 2, 4)));
    }

    private static void reductions(List<OpCase> c) {
        OpCase.Operand t234 = of(ANY, 2, 3, 4);
        c.add(diff("sum axis 1", (ops, in) -> ops.sum(in.get(0), new int[] {1}, false), t234));
        c.add(diff("sum all", (ops, in) -> ops.sum(in.get(0), new int[0], false), t234));
        c.add(diff("sum axes 0,2 keepDims", (ops, in) -> ops.sum(in.get(0), new int[] {0, 2}, true), t234));
        c.add(diff("sum axis -1", (ops, in) -> ops.sum(in.get(0), new int[] {-1}, false), t234));
        OpCase.Operand distinct = of(spaced(0, 0.05), 2, 3, 4);
        c.add(diff("max axis 1", (ops, in) -> ops.max(in.get(0), new int[] {1}, false), distinct));
        c.add(diff("max all", (ops, in) -> ops.max(in.get(0), new int[0], false), distinct));
        c.add(diff("max axes 0,2 keepDims", (ops, in) -> ops.max(in.get(0), new int[] {0, 2}, true), distinct));
        c.add(diff("mean axis 1", (ops, in) -> ops.mean(in.get(0), new int[] {1}, false), t234));
        c.add(diff("mean all", (ops, in) -> ops.mean(in.get(0), new int[0], false), t234));
        c.add(diff("mean axis -1 keepDims", (ops, in) -> ops.mean(in.get(0), new int[] {-1}, true), t234));
        c.add(forwardOnly("argMax axis 1", (ops, in) -> ops.argMax(in.get(0), 1), distinct));
        c.add(forwardOnly("argMax axis -3", (ops, in) -> ops.argMax(in.get(0), -3), distinct));
    }

    private static void shapes(List<OpCase> c) {
        OpCase.Operand t234 = of(ANY, 2, 3, 4);
        c.add(diff("reshape [2,3,4]->[6,4]", (ops, in) -> ops.reshape(in.get(0), Shape.of(6, 4)), t234));
        c.add(diff("expandDims 1", (ops, in) -> ops.expandDims(in.get(0), 1), t234));
        c.add(diff("expandDims -1", (ops, in) -> ops.expandDims(in.get(0), -1), t234));
        c.add(diff("transpose 2,0,1", (ops, in) -> ops.transpose(in.get(0), 2, 0, 1), t234));
        c.add(diff("transpose 1,0", (ops, in) -> ops.transpose(in.get(0), 1, 0), of(ANY, 3, 5)));
        c.add(diff("concat axis 1", (ops, in) -> ops.concat(List.of(in.get(0), in.get(1)), 1), of(ANY, 2, 3), of(ANY, 2, 2)));
        c.add(diff("concat axis -1 of three", (ops, in) -> ops.concat(List.of(in.get(0), in.get(1), in.get(2)), -1), of(ANY, 2, 2, 1),
                of(ANY, 2, 2, 3), of(ANY, 2, 2, 2)));
        c.add(diff("concat axis 0", (ops, in) -> ops.concat(List.of(in.get(0), in.get(1)), 0), of(ANY, 1, 3), of(ANY, 2, 3)));
        c.add(diff("slice", (ops, in) -> ops.slice(in.get(0), new int[] {1, 0, 2}, new int[] {2, 3, 2}), of(ANY, 3, 4, 5)));
        c.add(diff("gather axis 0 with repeats", (ops, in) -> ops.gather(in.get(0), ints(ops, Shape.of(4), 3, 0, 3, 1), 0),
                of(ANY, 5, 3)));
        c.add(diff("gather axis 1 with [2,2] indices", (ops, in) -> ops.gather(in.get(0), ints(ops, Shape.of(2, 2), 2, 0, 1, 2), 1),
                of(ANY, 4, 3)));
        c.add(forwardOnly("oneHot", (ops, in) -> ops.add(ops.oneHot(ints(ops, Shape.of(2, 3), 0, 3, 1, 2, 2, 0), 4),
                ops.mul(in.get(0), ops.scalar(0f))), of(ANY, 2, 3, 4)));
    }

    private static void probabilities(List<OpCase> c) {
        c.add(diff("softmax axis -1", (ops, in) -> ops.softmax(in.get(0), -1), of(WIDE, 3, 5)));
        c.add(diff("softmax axis 0", (ops, in) -> ops.softmax(in.get(0), 0), of(WIDE, 3, 5)));
        c.add(diff("softmax axis 2 of rank 3", (ops, in) -> ops.softmax(in.get(0), 2), of(WIDE, 2, 3, 4)));
        c.add(diff("softmax of a vector", (ops, in) -> ops.softmax(in.get(0), 0), of(WIDE, 5)));
        c.add(diff("logSoftmax axis -1 of rank 3", (ops, in) -> ops.logSoftmax(in.get(0), -1), of(WIDE, 2, 3, 4)));
        c.add(diff("logSoftmax axis 1 of rank 3", (ops, in) -> ops.logSoftmax(in.get(0), 1), of(WIDE, 2, 3, 4)));
        c.add(diff("logSoftmax axis -1", (ops, in) -> ops.logSoftmax(in.get(0), -1), of(WIDE, 4, 6)));
        // Cross-entropy with integer labels spelled out through logSoftmax and oneHot.
        c.add(diff("logSoftmax times oneHot as cross-entropy on labels", (ops, in) -> {
            Tensor targets = ops.oneHot(ints(ops, Shape.of(4), 2, 0, 4, 2), 5);
            Tensor perRow = ops.sum(ops.mul(targets, ops.logSoftmax(in.get(0), -1)), new int[] {1}, false);
            return ops.neg(ops.mean(perRow, new int[0], false));
        }, of(WIDE, 4, 5)));
        HostTensor.Floats weights = HostTensor.of(Shape.of(3, 4), new float[] {1, 2, 0, 0.5f, 0, 0, 3, 0, 1, 1, 1, 1});
        c.add(diff("logSoftmax weighted by unnormalized constants", (ops, in) -> ops.sum(
                ops.mul(ops.logSoftmax(in.get(0), 1), ops.constant(weights)), new int[] {1}, true), of(WIDE, 3, 4)));
        // Against constant distributions (InfoNCE's identity, soft labels): what TensorFlow fuses.
        HostTensor.Floats soft = HostTensor.of(Shape.of(3, 4), new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0, 1, 0, 0, 0.25f, 0.25f, 0.25f, 0.25f});
        c.add(diff("softmaxCrossEntropy against a constant distribution",
                (ops, in) -> ops.softmaxCrossEntropy(in.get(0), ops.constant(soft)), of(WIDE, 3, 4)));
        c.add(diff("softmaxCrossEntropy against the identity, averaged as InfoNCE does", (ops, in) -> ops.mean(
                ops.softmaxCrossEntropy(in.get(0), ops.constant(identity(4))), new int[0], false), of(WIDE, 4, 4)));
        // Targets computed in the graph, or logits of another rank: the composition on every backend.
        c.add(diff("softmaxCrossEntropy against one-hot labels", (ops, in) -> ops.softmaxCrossEntropy(in.get(0),
                ops.oneHot(ints(ops, Shape.of(4), 2, 0, 4, 2), 5)), of(WIDE, 4, 5)));
        c.add(diff("softmaxCrossEntropy against targets with a gradient", (ops, in) -> ops.softmaxCrossEntropy(in.get(0),
                ops.softmax(in.get(1), -1)), of(WIDE, 3, 4), of(WIDE, 3, 4)));
        float[] third = new float[2 * 3 * 4];
        Arrays.fill(third, 0.25f);
        c.add(diff("softmaxCrossEntropy of rank-3 logits", (ops, in) -> ops.softmaxCrossEntropy(in.get(0),
                ops.constant(HostTensor.of(Shape.of(2, 3, 4), third))), of(WIDE, 2, 3, 4)));
        c.add(diff("l2Normalize axis 1", (ops, in) -> ops.l2Normalize(in.get(0), 1, 1e-12f), of(NONZERO, 3, 4)));
    }

    private static HostTensor.Floats identity(int n) {
        float[] d = new float[n * n];
        for (int i = 0; i < n; i++) {
            d[i * n + i] = 1f;
        }
        return HostTensor.of(Shape.of(n, n), d);
    }

    private static void images(List<OpCase> c) {
        c.add(diff("conv2d 3x3 stride 1 SAME", (ops, in) -> conv(ops, in, 1, 1, Padding.SAME), of(ANY, 2, 5, 5, 2), of(ANY, 3, 3, 2, 3)));
        c.add(diff("conv2d 3x3 stride 2 VALID", (ops, in) -> conv(ops, in, 2, 2, Padding.VALID), of(ANY, 1, 5, 5, 2),
                of(ANY, 3, 3, 2, 2)));
        c.add(diff("conv2d 2x3 stride 2,1 SAME on even size", (ops, in) -> conv(ops, in, 2, 1, Padding.SAME), of(ANY, 1, 6, 6, 2),
                of(ANY, 2, 3, 2, 2)));
        // 1x1 kernels: backends lower them to a matrix product (oneDNN's 1x1 backward kernel is unsafe), so check them apart.
        c.add(diff("conv2d 1x1 stride 1 SAME", (ops, in) -> conv(ops, in, 1, 1, Padding.SAME), of(ANY, 2, 4, 4, 3), of(ANY, 1, 1, 3, 2)));
        c.add(diff("conv2d 1x1 stride 2 SAME on odd size", (ops, in) -> conv(ops, in, 2, 2, Padding.SAME), of(ANY, 1, 5, 5, 2),
                of(ANY, 1, 1, 2, 3)));
        c.add(diff("conv2d 1x1 stride 2 VALID on even size", (ops, in) -> conv(ops, in, 2, 2, Padding.VALID), of(ANY, 2, 6, 6, 2),
                of(ANY, 1, 1, 2, 2)));
        OpCase.Operand distinct = of(spaced(0, 0.05), 2, 4, 4, 3);
        c.add(diff("maxPool2d 2 stride 2 VALID", (ops, in) -> pool(ops, in, true, 2, 2, Padding.VALID), distinct));
        c.add(diff("maxPool2d 3 stride 2 SAME", (ops, in) -> pool(ops, in, true, 3, 2, Padding.SAME), of(spaced(0, 0.05), 1, 5, 5, 2)));
        c.add(diff("avgPool2d 2 stride 2 VALID", (ops, in) -> pool(ops, in, false, 2, 2, Padding.VALID), of(ANY, 2, 4, 4, 3)));
        c.add(diff("avgPool2d 3 stride 2 SAME", (ops, in) -> pool(ops, in, false, 3, 2, Padding.SAME), of(ANY, 1, 5, 5, 2)));
        c.add(diff("fromNhwc round trip", (ops, in) -> toNhwc(ops, ops.fromNhwc(in.get(0))), of(ANY, 1, 2, 3, 2)));
    }

    private static Tensor conv(Ops ops, List<Tensor> in, int sh, int sw, Padding padding) {
        return toNhwc(ops, ops.conv2d(ops.fromNhwc(in.get(0)), in.get(1), sh, sw, padding));
    }

    private static Tensor pool(Ops ops, List<Tensor> in, boolean max, int window, int stride, Padding padding) {
        Tensor x = ops.fromNhwc(in.get(0));
        return toNhwc(ops, max ? ops.maxPool2d(x, window, stride, padding) : ops.avgPool2d(x, window, stride, padding));
    }

    private static void values(List<OpCase> c) {
        c.add(diff("constant", (ops, in) -> ops.mul(in.get(0), ops.constant(HostTensor.of(Shape.of(2, 2), new float[] {1, -2, 0.5f, 3}))),
                of(ANY, 2, 2)));
        c.add(forwardOnly("cast float to int32 truncates", (ops, in) -> ops.cast(in.get(0), DType.INT32), of(uniform(-3, 3), 3, 4)));
        c.add(forwardOnly("cast float to int64", (ops, in) -> ops.cast(in.get(0), DType.INT64), of(uniform(-3, 3), 3, 4)));
        c.add(diff("cast int32 to float", (ops, in) -> ops.mul(in.get(0), ops.cast(ints(ops, Shape.of(2, 2), 3, -1, 0, 7), DType.FLOAT32)),
                of(ANY, 2, 2)));
        c.add(diff("cast float to float", (ops, in) -> ops.cast(in.get(0), DType.FLOAT32), of(ANY, 2, 2)));
        c.add(forwardOnly("add, sub and mul on int32", (ops, in) -> {
            Tensor a = ints(ops, Shape.of(4), 7, -7, 3, 0);
            Tensor b = ints(ops, Shape.of(4), 2, 2, -5, 4);
            return ops.sub(ops.add(ops.mul(a, b), a), b);
        }, of(ANY, 1)));
    }
}

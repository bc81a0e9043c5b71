package io.pretext.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Initializer;
import io.pretext.api.model.LossOutput;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ShapePass;
import io.pretext.api.tensor.DType;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.ImageLayout;
import io.pretext.api.tensor.Kernels;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Padding;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.ShapeOps;
import io.pretext.api.tensor.Tensor;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The {@link Ops} front door: every operand check happens before a kernel is reached, and the shape-only ops count FLOPs. */
class FrontDoorTest {

    /** Kernels that fail the test when reached: whatever the front door refuses never gets here. */
    private static Ops unreachableKernels() {
        Kernels kernels = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("imageLayout")) {
                        return ImageLayout.NHWC;
                    }
                    throw new AssertionError("kernel '" + method.getName() + "' reached with operands the front door should refuse");
                });
        return new Ops(kernels);
    }

    private static final ShapeOps VALUES = new ShapeOps();

    private static Tensor f(int... dims) {
        return VALUES.placeholder(Shape.of(dims), DType.FLOAT32);
    }

    private static Tensor i(int... dims) {
        return VALUES.placeholder(Shape.of(dims), DType.INT32);
    }

    /** A call the front door must refuse: the op it names and what its message must mention. */
    private record Mistake(String op, List<String> mentions, Function<Ops, Tensor> call) {
    }

    private static Mistake mistake(String op, String mentions, Function<Ops, Tensor> call) {
        return new Mistake(op, List.of(mentions.split(" \\| ")), call);
    }

    @Test
    void everyOperandMistakeIsAShapeExceptionNamingTheOpBeforeAnyKernel() {
        List<Mistake> mistakes = List.of(
                mistake("add", "[8, 6] | [16]", ops -> ops.add(f(8, 6), f(16))),
                mistake("mul", "FLOAT32[8, 6] | INT32[8, 6]", ops -> ops.mul(f(8, 6), i(8, 6))),
                mistake("pow", "INT32[3]", ops -> ops.pow(i(3), i(3))),
                mistake("exp", "INT32[2, 2]", ops -> ops.exp(i(2, 2))),
                mistake("square", "INT32[2]", ops -> ops.square(i(2))),
                mistake("matmul", "[8, 6] | [16, 1]", ops -> ops.matmul(f(8, 6), f(16, 1))),
                mistake("sum", "axis 2 | [3, 4]", ops -> ops.sum(f(3, 4), new int[] {2}, false)),
                mistake("mean", "INT32[3]", ops -> ops.mean(i(3), new int[0], false)),
                mistake("argMax", "axis -3 | [3, 4]", ops -> ops.argMax(f(3, 4), -3)),
                mistake("reshape", "[3, 4] | [5, 2]", ops -> ops.reshape(f(3, 4), Shape.of(5, 2))),
                mistake("transpose", "[0, 0] | [3, 4]", ops -> ops.transpose(f(3, 4), 0, 0)),
                mistake("concat", "[2, 3] | [3, 3]", ops -> ops.concat(List.of(f(2, 3), f(3, 3)), 1)),
                mistake("slice", "[2, 0] | [3, 4]", ops -> ops.slice(f(3, 4), new int[] {2, 0}, new int[] {2, 4})),
                mistake("gather", "FLOAT32[2]", ops -> ops.gather(f(5, 3), f(2), 0)),
                mistake("oneHot", "depth | 0 | [4]", ops -> ops.oneHot(i(4), 0)),
                mistake("expandDims", "axis 3 | [3]", ops -> ops.expandDims(f(3), 3)),
                mistake("softmax", "scalar", ops -> ops.softmax(f(), 0)),
                mistake("logSoftmax", "axis 2 | [3, 4]", ops -> ops.logSoftmax(f(3, 4), 2)),
                mistake("softmaxCrossEntropy", "[3, 4] | [3, 5]", ops -> ops.softmaxCrossEntropy(f(3, 4), f(3, 5))),
                mistake("conv2d", "3 channels | [3, 3, 2, 4]", ops -> ops.conv2d(f(1, 5, 5, 3), f(3, 3, 2, 4), 1, 1, Padding.SAME)),
                mistake("conv2d", "stride | 0 | [1, 5, 5, 3]", ops -> ops.conv2d(f(1, 5, 5, 3), f(3, 3, 3, 4), 0, 1, Padding.SAME)),
                mistake("maxPool2d", "rank-4 | [5, 5, 3]", ops -> ops.maxPool2d(f(5, 5, 3), 2, 2, Padding.VALID)),
                mistake("avgPool2d", "window | 0 | [1, 4, 4, 1]", ops -> ops.avgPool2d(f(1, 4, 4, 1), 0, 1, Padding.VALID)),
                mistake("fromNhwc", "rank-4 | [4, 4]", ops -> ops.fromNhwc(f(4, 4))),
                mistake("dropout", "rate | 1.5 | [8, 6]", ops -> ops.dropout(f(8, 6), 1.5f)),
                mistake("dropout", "INT32[4]", ops -> ops.dropout(i(4), 0.5f)));
        for (Ops ops : List.of(unreachableKernels(), new ShapeOps(), new ReferenceOps())) {
            for (Mistake m : mistakes) {
                ShapeException e = assertThrows(ShapeException.class, () -> m.call().apply(ops), m.op() + " " + m.mentions());
                assertEquals(m.op(), e.op(), e.getMessage());
                assertTrue(e.getMessage().startsWith(m.op() + ": "), e.getMessage());
                for (String mention : m.mentions()) {
                    assertTrue(e.getMessage().contains(mention), "'" + e.getMessage() + "' should mention " + mention);
                }
            }
        }
    }

    @Test
    void theFrontDoorNamesAKernelThatReturnsTheWrongShape() {
        Kernels wrong = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class},
                (proxy, method, args) -> method.getName().equals("imageLayout") ? ImageLayout.NHWC : f(7));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Ops(wrong).relu(f(3, 4)));
        assertTrue(e.getMessage().contains("relu") && e.getMessage().contains("[7]") && e.getMessage().contains("[3, 4]"), e.getMessage());
    }

    @Test
    void shapeOpsCountsFlopsByTheDocumentedRules() {
        ShapeOps ops = new ShapeOps();
        Tensor product = ops.matmul(ops.placeholder(Shape.of(2, 3, 4), DType.FLOAT32), f(4, 5));
        assertEquals(Shape.of(2, 3, 5), product.shape());
        assertEquals(2L * 2 * 3 * 5 * 4, ops.flops(), "2 per multiply-add");
        long before = ops.flops();
        Tensor moved = ops.transpose(ops.reshape(product, Shape.of(6, 5)), 1, 0);
        ops.concat(List.of(moved, moved), 0);
        ops.oneHot(ops.cast(ops.argMax(moved, 0), DType.INT32), 3);
        assertEquals(before + 30, ops.flops(), "moving data is free; argMax reads 30 elements");
        before = ops.flops();
        ops.relu(moved);
        ops.add(moved, f(1, 6));
        assertEquals(before + 30 + 30, ops.flops(), "elementwise: one per output element");
        before = ops.flops();
        ops.mean(moved, new int[] {1}, false);
        assertEquals(before + 30 + 5, ops.flops(), "a composition counts its parts: sum, then divide");
        before = ops.flops();
        ops.softmaxCrossEntropy(moved, moved);
        assertEquals(before + 5 * 30 + 30 + 30 + 5, ops.flops(), "log-softmax, times targets, row sum, negation");
        before = ops.flops();
        Tensor image = ops.conv2d(f(1, 6, 6, 3), f(3, 3, 3, 4), 2, 2, Padding.SAME);
        assertEquals(Shape.of(1, 3, 3, 4), image.shape());
        assertEquals(before + 2L * 36 * 27, ops.flops(), "2 * output elements * kernel height * width * input channels");
        before = ops.flops();
        ops.avgPool2d(image, 2, 1, Padding.VALID);
        assertEquals(before + 2 * 2 * 4 * 4, ops.flops(), "window area per output element");
    }

    @Test
    void shapePassRunsAnObjectiveOnSpecsAndASignature() {
        List<ParamSpec> specs = List.of(ParamSpec.trainable("w", Shape.of(6, 3), new Initializer.Zeros()),
                ParamSpec.state("stats", Shape.of(3), new Initializer.Zeros()));
        ShapePass.Result r = ShapePass.objective(specs, (ops, params, inputs, mode) -> {
            Tensor logits = ops.matmul(inputs.get("x"), params.get("w"));
            params.assign("stats", ops.mean(logits, new int[] {0}, false));
            Tensor targets = ops.oneHot(inputs.get("labels"), 3);
            return new LossOutput(ops.mean(ops.softmaxCrossEntropy(logits, targets), new int[0], false),
                    Map.of("logits", logits));
        }, Map.of("x", ShapePass.Input.floats(Shape.of(4, 6)), "labels", new ShapePass.Input(Shape.of(4), DType.INT32)), Mode.TRAIN);
        assertEquals(Map.of("loss", Shape.SCALAR, "logits", Shape.of(4, 3)), r.outputs());
        assertEquals(List.of("loss", "logits"), List.copyOf(r.outputs().keySet()), "the loss first");
        assertEquals(18, r.trainableParameters(), "state parameters are not trainable");
        long flops = 2 * 4 * 3 * 6 + (12 + 3) + (5 * 12 + 12 + 12 + 4) + (4 + 1);
        assertEquals(flops, r.flops());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ShapePass.forward(specs,
                (ops, params, inputs) -> Map.of("y", params.get("v")), Map.of()));
        assertTrue(unknown.getMessage().contains("'v'") && unknown.getMessage().contains("w"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShapePass.forward(specs, (ops, params, inputs) -> {
            params.assign("w", params.get("w"));
            return Map.of();
        }, Map.of()), "a trainable parameter cannot be assigned");
        ShapeException shape = assertThrows(ShapeException.class, () -> ShapePass.forward(specs,
                (ops, params, inputs) -> Map.of("y", ops.matmul(inputs.get("x"), params.get("w"))), Map.of("x", ShapePass.Input.floats(Shape.of(4, 5)))));
        assertEquals("matmul", shape.op());
    }

    @Test
    void referenceOpsInNchwAgreeWithNhwc() {
        ReferenceOps nhwc = new ReferenceOps(1);
        ReferenceOps nchw = new ReferenceOps(1, ImageLayout.NCHW);
        float[] x = new float[2 * 5 * 5 * 3];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) Math.sin(k);
        }
        float[] w = new float[3 * 3 * 3 * 2];
        for (int k = 0; k < w.length; k++) {
            w[k] = (float) Math.cos(k);
        }
        HostTensor.Floats image = HostTensor.of(Shape.of(2, 5, 5, 3), x);
        HostTensor.Floats filter = HostTensor.of(Shape.of(3, 3, 3, 2), w);
        ReferenceOps.Value a = (ReferenceOps.Value) nhwc.maxPool2d(nhwc.conv2d(nhwc.fromNhwc(nhwc.constant(image)), nhwc.constant(filter), 2, 1,
                Padding.SAME), 2, 1, Padding.SAME);
        Tensor b = nchw.maxPool2d(nchw.conv2d(nchw.fromNhwc(nchw.constant(image)), nchw.constant(filter), 2, 1, Padding.SAME), 2, 1,
                Padding.SAME);
        assertEquals(Shape.of(2, 2, 3, 5), b.shape(), "NCHW");
        ReferenceOps.Value back = (ReferenceOps.Value) nchw.transpose(b, 0, 2, 3, 1);
        assertEquals(a.shape(), back.shape());
        for (int k = 0; k < a.data().length; k++) {
            assertEquals(a.data()[k], back.data()[k], 1e-12);
        }
    }
}

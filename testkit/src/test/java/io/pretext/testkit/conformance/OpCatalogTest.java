package io.pretext.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.testkit.ReferenceOps;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OpCatalogTest {

    @Test
    void everyCaseRunsOnTheReferenceWithFiniteValues() {
        ReferenceOps ref = new ReferenceOps();
        for (OpCase c : OpCatalog.all()) {
            SplittableRandom r = new SplittableRandom(1);
            List<Tensor> in = new ArrayList<>();
            for (OpCase.Operand o : c.operands()) {
                float[] v = o.values().draw(r, Math.toIntExact(o.shape().size()));
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    d[i] = v[i];
                }
                in.add(ReferenceOps.floats(o.shape(), d));
            }
            ReferenceOps.Value out = (ReferenceOps.Value) c.function().apply(ref, in);
            for (double v : out.data()) {
                assertTrue(Double.isFinite(v), c.name() + " gives " + v);
            }
        }
    }

    @Test
    void caseNamesAreUniqueAndCoverEveryOp() {
        Set<String> names = new HashSet<>();
        for (OpCase c : OpCatalog.all()) {
            assertTrue(names.add(c.name()), "duplicate case " + c.name());
        }
        String all = String.join(" ", names);
        for (String op : List.of("add", "sub", "mul", "div", "pow", "maximum", "minimum", "neg", "exp", "log", "sqrt", "rsqrt", "square",
                "abs", "erf", "relu", "sigmoid", "tanh", "softplus", "gelu", "matmul", "sum", "max", "mean", "argMax", "reshape",
                "expandDims", "transpose", "concat", "slice", "gather", "oneHot", "softmax", "logSoftmax", "l2Normalize", "conv2d",
                "maxPool2d", "avgPool2d", "fromNhwc", "constant", "cast")) {
            assertTrue(all.contains(op), "no case for " + op);
        }
    }

    @Test
    void spacedValuesAreDistinctAndTwoGridsNeverTie() {
        float[] a = OpCase.spaced(0, 0.2).draw(new SplittableRandom(3), 40);
        float[] b = OpCase.spaced(0.1, 0.2).draw(new SplittableRandom(4), 40);
        Set<Float> seen = new HashSet<>();
        for (float v : a) {
            assertTrue(seen.add(v), "repeated " + v);
            for (float w : b) {
                assertTrue(Math.abs(v - w) >= 0.1 - 1e-6, v + " and " + w + " too close");
            }
        }
        for (float v : OpCase.awayFromZero(0.1, 1.5).draw(new SplittableRandom(5), 100)) {
            assertTrue(Math.abs(v) >= 0.1 && Math.abs(v) < 1.5, "magnitude " + v);
        }
        assertFalse(OpCatalog.all().isEmpty());
        assertEquals(Shape.of(3, 4), OpCatalog.all().get(0).operands().get(0).shape());
    }
}

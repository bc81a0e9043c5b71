package io.pretext.testkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.testkit.ReferenceOps;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
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

    /** The op methods of the front door, found by reflection: a new op is covered or this fails. */
    private static Set<String> opsOfTheFrontDoor() {
        Set<String> ops = new TreeSet<>();
        for (Method m : Ops.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && m.getReturnType() == Tensor.class) {
                ops.add(m.getName());
            }
        }
        return ops;
    }

    /** @return the ops neither a case (by its name) nor a dedicated suite test (by its method name) checks */
    private static Set<String> uncovered(Set<String> ops, List<OpCase> cases) {
        Set<String> missing = new TreeSet<>(ops);
        cases.forEach(c -> missing.remove(c.op()));
        // Ops that no case can check (random, or only visible in gradients) have dedicated suite tests named after them.
        for (Method m : BackendConformanceSuite.class.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Test.class)) {
                missing.removeIf(op -> m.getName().startsWith(op));
            }
        }
        return missing;
    }

    @Test
    void caseNamesAreUniqueAndCoverEveryOp() {
        Set<String> ops = opsOfTheFrontDoor();
        assertTrue(ops.containsAll(Set.of("add", "matmul", "conv2d", "softmaxCrossEntropy", "dropout")), "reflection finds the ops: " + ops);
        Set<String> names = new HashSet<>();
        for (OpCase c : OpCatalog.all()) {
            assertTrue(names.add(c.name()), "duplicate case " + c.name());
            assertTrue(ops.contains(c.op()), "case '" + c.name() + "' must start with the name of the Ops method it checks; ops: " + ops);
        }
        Set<String> missing = uncovered(ops, OpCatalog.all());
        assertTrue(missing.isEmpty(), "ops of Ops without a conformance case: " + missing + "; add an OpCase to OpCatalog whose name "
                + "starts with the op's name (or a BackendConformanceSuite test named after it)");
    }

    @Test
    void anOpWithoutACaseIsNamed() {
        Set<String> ops = new TreeSet<>(opsOfTheFrontDoor());
        ops.add("frobnicate");
        assertEquals(Set.of("frobnicate"), uncovered(ops, OpCatalog.all()));
        List<OpCase> withoutGelu = OpCatalog.all().stream().filter(c -> !c.op().equals("gelu")).toList();
        assertEquals(Set.of("gelu"), uncovered(opsOfTheFrontDoor(), withoutGelu));
        assertEquals("softmaxCrossEntropy", OpCatalog.all().stream().map(OpCase::op).filter(op -> op.startsWith("softmaxC"))
                .findFirst().orElseThrow());
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

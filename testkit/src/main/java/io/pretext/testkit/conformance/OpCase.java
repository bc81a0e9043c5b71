package io.pretext.testkit.conformance;

import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One op (or small composition) checked by the conformance suite: its float operands, how their
 * values are drawn, and the function itself, written once against {@link Ops} and run on the
 * backend under test and on {@link io.pretext.testkit.ReferenceOps}.
 *
 * <p>Operands are float parameters, so the suite can differentiate with respect to them; integer
 * inputs (indices, labels) are constants built inside the function. Value generators keep inputs
 * away from kinks (ReLU at 0, ties of max and maximum) so finite differences are meaningful.
 *
 * @param name what the case checks, starting with the name of the {@link Ops} method it checks,
 *     e.g. {@code matmul transposeB} (the catalog's coverage test reads the op from it)
 * @param operands the float operands
 * @param function the computation; its output is compared, and differentiated when {@code differentiable}
 * @param differentiable whether the output is a float function of the operands with a gradient to check
 */
public record OpCase(String name, List<Operand> operands, Function function, boolean differentiable) {

    /** Copies the operand list. */
    public OpCase {
        operands = List.copyOf(operands);
    }

    /** @return the op this case checks: the leading identifier of its name ({@code "matmul"} for {@code "matmul transposeB"}) */
    public String op() {
        int end = 0;
        while (end < name.length() && Character.isLetterOrDigit(name.charAt(end))) {
            end++;
        }
        return name.substring(0, end);
    }

    /** The computation under test. */
    @FunctionalInterface
    public interface Function {
        /**
         * @param ops the op set (backend or reference)
         * @param in the operands, in declaration order
         * @return the value compared between backend and reference
         */
        Tensor apply(Ops ops, List<Tensor> in);
    }

    /** Draws the row-major values of one operand. */
    @FunctionalInterface
    public interface Values {
        /**
         * @param random the case's random stream
         * @param count number of values
         * @return the values
         */
        float[] draw(SplittableRandom random, int count);
    }

    /**
     * A float operand.
     *
     * @param shape its shape
     * @param values how its values are drawn
     */
    public record Operand(Shape shape, Values values) {
    }

    /**
     * @param shape shape
     * @param values generator
     * @return an operand
     */
    public static Operand operand(Shape shape, Values values) {
        return new Operand(shape, values);
    }

    /**
     * @param lo lower bound
     * @param hi upper bound
     * @return uniform values in [lo, hi)
     */
    public static Values uniform(double lo, double hi) {
        return (r, n) -> {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) (lo + (hi - lo) * r.nextDouble());
            }
            return v;
        };
    }

    /**
     * @param min smallest magnitude
     * @param max largest magnitude
     * @return values of random sign with magnitude in [min, max): away from a kink at zero
     */
    public static Values awayFromZero(double min, double max) {
        return (r, n) -> {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                double m = min + (max - min) * r.nextDouble();
                v[i] = (float) (r.nextBoolean() ? m : -m);
            }
            return v;
        };
    }

    /**
     * @param offset added to every value
     * @param step distance between candidate values
     * @return distinct values {@code offset + k * step} for k in [-n, n), shuffled: no ties, so max
     *     and max-pooling have a unique winner; with steps 0.2 and offsets 0 and 0.1, two operands
     *     never come closer than 0.1 (for maximum and minimum)
     */
    public static Values spaced(double offset, double step) {
        return (r, n) -> {
            int[] k = new int[2 * n];
            for (int i = 0; i < k.length; i++) {
                k[i] = i - n;
            }
            for (int i = k.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = k[i];
                k[i] = k[j];
                k[j] = t;
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) (offset + k[i] * step);
            }
            return v;
        };
    }

    @Override
    public String toString() {
        return name;
    }
}

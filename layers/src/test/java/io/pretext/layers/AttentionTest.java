package io.pretext.layers;

import static io.pretext.layers.LayerFixture.data;
import static io.pretext.layers.LayerFixture.parameters;
import static io.pretext.layers.LayerFixture.random;
import static io.pretext.layers.LayerFixture.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.error.ShapeException;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.testkit.ReferenceOps;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Multi-head self-attention against a hand-written double-precision version, with and without masks. */
class AttentionTest {
    private static final int N = 2;
    private static final int T = 5;
    private static final int D = 6;
    private static final int HEADS = 2;

    private final ReferenceOps ref = new ReferenceOps(3);
    private final MultiHeadAttention attention = new MultiHeadAttention("t/attention", D, HEADS);
    private final ParameterSet p = parameters(attention.parameters(), 4);

    private double[] apply(ReferenceOps.Value x, AttentionMask mask) {
        return data(attention.apply(ref, ref.new HostParams(p), x, mask));
    }

    @Test
    void declaresFourXavierProjections() {
        assertEquals(List.of("t/attention/query/kernel", "t/attention/query/bias", "t/attention/key/kernel", "t/attention/key/bias",
                "t/attention/value/kernel", "t/attention/value/bias", "t/attention/output/kernel", "t/attention/output/bias"),
                attention.parameters().stream().map(ParamSpec::name).toList());
        assertTrue(attention.parameters().stream().allMatch(s -> s.shape().equals(s.name().endsWith("kernel") ? Shape.of(D, D) : Shape.of(D))));
        assertThrows(IllegalArgumentException.class, () -> new MultiHeadAttention("t", 6, 4));
    }

    @Test
    void unmaskedAttentionIsSoftmaxOfScaledScoresPerHead() {
        ReferenceOps.Value x = random(Shape.of(N, T, D), 5);
        assertArrayEquals(hand(x, null, false), apply(x, AttentionMask.NONE), 1e-9);
    }

    @Test
    void maskedAttentionMatchesTheTextbookWithHiddenKeysLeftOut() {
        ReferenceOps.Value x = random(Shape.of(N, T, D), 6);
        int[] keep = {1, 1, 1, 0, 0, 1, 1, 1, 1, 1};
        ReferenceOps.Value mask = ReferenceOps.of(HostTensor.of(Shape.of(N, T), keep));
        assertArrayEquals(hand(x, keep, false), apply(x, AttentionMask.ofPadding(mask)), 1e-9);
        assertArrayEquals(hand(x, null, true), apply(x, AttentionMask.CAUSAL), 1e-9);
        assertArrayEquals(hand(x, keep, true), apply(x, AttentionMask.ofPadding(mask).withCausal()), 1e-9);
        // A float mask is taken as it is.
        ReferenceOps.Value floats = ReferenceOps.floats(Shape.of(N, T), Arrays.stream(keep).asDoubleStream().toArray());
        assertArrayEquals(hand(x, keep, false), apply(x, AttentionMask.ofPadding(floats)), 1e-9);
    }

    @Test
    void aCausalMaskMakesEachPositionIndependentOfTheLaterOnes() {
        ReferenceOps.Value x = random(Shape.of(N, T, D), 7);
        double[] before = apply(x, AttentionMask.CAUSAL);
        for (int changed = 0; changed < T; changed++) {
            double[] y = apply(perturb(x, changed), AttentionMask.CAUSAL);
            for (int b = 0; b < N; b++) {
                for (int t = 0; t < T; t++) {
                    double[] was = Arrays.copyOfRange(before, (b * T + t) * D, (b * T + t + 1) * D);
                    double[] now = Arrays.copyOfRange(y, (b * T + t) * D, (b * T + t + 1) * D);
                    if (t < changed) {
                        assertArrayEquals(was, now, 0, "position " + t + " must not see position " + changed);
                    } else {
                        assertNotEquals(Arrays.toString(was), Arrays.toString(now), "position " + t + " sees position " + changed);
                    }
                }
            }
        }
    }

    @Test
    void whatStandsAtAPaddedPositionChangesNoOtherPosition() {
        ReferenceOps.Value x = random(Shape.of(N, T, D), 8);
        int[] keep = {1, 1, 1, 0, 0, 1, 1, 1, 1, 1};
        AttentionMask mask = AttentionMask.ofPadding(ReferenceOps.of(HostTensor.of(Shape.of(N, T), keep)));
        double[] before = apply(x, mask);
        double[] after = apply(perturb(perturb(x, 3), 4), mask);
        for (int b = 0; b < N; b++) {
            for (int t = 0; t < T; t++) {
                boolean padded = keep[b * T + t] == 0;
                double[] was = Arrays.copyOfRange(before, (b * T + t) * D, (b * T + t + 1) * D);
                double[] now = Arrays.copyOfRange(after, (b * T + t) * D, (b * T + t + 1) * D);
                if (b == 0 && !padded) {
                    assertArrayEquals(was, now, 0, "real token " + t + " ignores the padding");
                }
            }
        }
        // Without the mask the same change reaches every token.
        assertNotEquals(Arrays.toString(apply(x, AttentionMask.NONE)), Arrays.toString(apply(perturb(x, 3), AttentionMask.NONE)));
        ShapeException wrong = assertThrows(ShapeException.class,
                () -> apply(x, AttentionMask.ofPadding(ReferenceOps.of(HostTensor.of(Shape.of(N, T + 1), new int[N * (T + 1)])))));
        assertTrue(wrong.getMessage().contains("[2, 5]"), wrong.getMessage());
    }

    /** x with every value of one position (in every batch row) changed. */
    private static ReferenceOps.Value perturb(ReferenceOps.Value x, int position) {
        double[] d = x.data().clone();
        for (int b = 0; b < N; b++) {
            for (int j = 0; j < D; j++) {
                d[(b * T + position) * D + j] += 0.5 + j;
            }
        }
        return ReferenceOps.floats(x.shape(), d);
    }

    /** Vaswani et al.'s attention, written out: hidden keys are left out of the softmax. */
    private double[] hand(ReferenceOps.Value x, int[] keep, boolean causal) {
        double[][] proj = new double[3][];
        String[] names = {"query", "key", "value"};
        for (int i = 0; i < 3; i++) {
            proj[i] = dense(x.data(), values(p, "t/attention/" + names[i] + "/kernel"), values(p, "t/attention/" + names[i] + "/bias"));
        }
        int dh = D / HEADS;
        double[] merged = new double[N * T * D];
        for (int b = 0; b < N; b++) {
            for (int h = 0; h < HEADS; h++) {
                for (int q = 0; q < T; q++) {
                    double[] weights = new double[T];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < T; k++) {
                        boolean hidden = (keep != null && keep[b * T + k] == 0) || (causal && k > q);
                        if (hidden) {
                            weights[k] = Double.NaN;
                            continue;
                        }
                        double s = 0;
                        for (int j = 0; j < dh; j++) {
                            s += proj[0][(b * T + q) * D + h * dh + j] * proj[1][(b * T + k) * D + h * dh + j];
                        }
                        weights[k] = s * (float) (1 / Math.sqrt(dh)); // the scale is a float32 constant, as the layer's
                        max = Math.max(max, weights[k]);
                    }
                    double total = 0;
                    for (int k = 0; k < T; k++) {
                        weights[k] = Double.isNaN(weights[k]) ? 0 : Math.exp(weights[k] - max);
                        total += weights[k];
                    }
                    for (int j = 0; j < dh; j++) {
                        double s = 0;
                        for (int k = 0; k < T; k++) {
                            s += weights[k] / total * proj[2][(b * T + k) * D + h * dh + j];
                        }
                        merged[(b * T + q) * D + h * dh + j] = s;
                    }
                }
            }
        }
        return dense(merged, values(p, "t/attention/output/kernel"), values(p, "t/attention/output/bias"));
    }

    private static double[] dense(double[] x, double[] kernel, double[] bias) {
        double[] y = new double[x.length];
        for (int row = 0; row < x.length / D; row++) {
            for (int o = 0; o < D; o++) {
                double s = bias[o];
                for (int i = 0; i < D; i++) {
                    s += x[row * D + i] * kernel[i * D + o];
                }
                y[row * D + o] = s;
            }
        }
        return y;
    }
}

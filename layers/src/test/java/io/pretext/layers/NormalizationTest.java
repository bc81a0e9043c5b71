package io.pretext.layers;

import static io.pretext.layers.LayerFixture.data;
import static io.pretext.layers.LayerFixture.parameters;
import static io.pretext.layers.LayerFixture.random;
import static io.pretext.layers.LayerFixture.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.testkit.ReferenceOps;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layer, batch and group normalization against the textbook formulas, computed by hand in double precision. */
class NormalizationTest {
    private static final double EPS = 1e-5;
    private final ReferenceOps ref = new ReferenceOps(1);

    @Test
    void layerNormStandardizesEachRowThenScalesAndShifts() {
        LayerNorm norm = LayerNorm.of("t/norm", 5);
        assertEquals(List.of("t/norm/gamma", "t/norm/beta"), norm.parameters().stream().map(ParamSpec::name).toList());
        ParameterSet p = parameters(norm.parameters(), 3);
        ReferenceOps.Value x = random(Shape.of(2, 3, 5), 4);
        double[] y = data(norm.apply(ref, ref.new HostParams(p), x));
        double[] gamma = values(p, "t/norm/gamma");
        double[] beta = values(p, "t/norm/beta");
        for (int row = 0; row < 6; row++) {
            double mean = 0;
            for (int j = 0; j < 5; j++) {
                mean += x.data()[row * 5 + j] / 5;
            }
            double var = 0;
            for (int j = 0; j < 5; j++) {
                var += Math.pow(x.data()[row * 5 + j] - mean, 2) / 5;
            }
            for (int j = 0; j < 5; j++) {
                double expected = (x.data()[row * 5 + j] - mean) / Math.sqrt(var + EPS) * gamma[j] + beta[j];
                assertEquals(expected, y[row * 5 + j], 1e-9);
            }
        }
        assertThrows(ShapeException.class, () -> norm.apply(ref, ref.new HostParams(p), random(Shape.of(2, 4), 1)));
    }

    @Test
    void batchNormOverFeaturesUsesBatchStatisticsInTrainingAndMovesTheRunningAveragesAsPyTorch() {
        BatchNorm norm = BatchNorm.of("t/bn", 3);
        List<ParamSpec> specs = norm.parameters();
        assertEquals(List.of("t/bn/gamma", "t/bn/beta", "t/bn/running_mean", "t/bn/running_var"), specs.stream().map(ParamSpec::name).toList());
        assertEquals(List.of(true, true, false, false), specs.stream().map(ParamSpec::trainable).toList());
        ParameterSet p = parameters(specs, 5);
        int n = 4;
        ReferenceOps.Value x = random(Shape.of(n, 3), 6);
        double[] gamma = values(p, "t/bn/gamma");
        double[] beta = values(p, "t/bn/beta");
        double[] runningMean = values(p, "t/bn/running_mean");
        double[] runningVar = values(p, "t/bn/running_var");

        ReferenceOps.HostParams train = ref.new HostParams(p);
        double[] y = data(norm.apply(ref, train, x, Mode.TRAIN));
        for (int c = 0; c < 3; c++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += x.data()[i * 3 + c] / n;
            }
            double var = 0;
            for (int i = 0; i < n; i++) {
                var += Math.pow(x.data()[i * 3 + c] - mean, 2) / n;
            }
            for (int i = 0; i < n; i++) {
                assertEquals((x.data()[i * 3 + c] - mean) / Math.sqrt(var + EPS) * gamma[c] + beta[c], y[i * 3 + c], 1e-9);
            }
            // PyTorch: running = 0.9 * running + 0.1 * batch, with the unbiased variance.
            assertEquals(0.9 * runningMean[c] + 0.1 * mean, data(train.assigned().get("t/bn/running_mean"))[c], 1e-7);
            assertEquals(0.9 * runningVar[c] + 0.1 * var * n / (n - 1), data(train.assigned().get("t/bn/running_var"))[c], 1e-7);
        }

        ReferenceOps.HostParams eval = ref.new HostParams(p);
        double[] z = data(norm.apply(ref, eval, x, Mode.EVAL));
        assertTrue(eval.assigned().isEmpty(), "evaluation leaves the running statistics alone");
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                double expected = (x.data()[i * 3 + c] - runningMean[c]) / Math.sqrt(runningVar[c] + EPS) * gamma[c] + beta[c];
                assertEquals(expected, z[i * 3 + c], 1e-6);
            }
        }
    }

    @Test
    void batchNormOfImagesIsPerChannelOverBatchAndSpaceInEitherLayout() {
        BatchNorm norm = BatchNorm.of("t/bn", 4);
        ParameterSet p = parameters(norm.parameters(), 7);
        ReferenceOps.Value x = random(Shape.of(2, 3, 3, 4), 8);
        for (Mode mode : Mode.values()) {
            ReferenceOps.HostParams nhwcParams = ref.new HostParams(p);
            double[] nhwc = data(norm.apply(ref, nhwcParams, x, mode));
            if (mode == Mode.TRAIN) {
                double[] gamma = values(p, "t/bn/gamma");
                double[] beta = values(p, "t/bn/beta");
                for (int c = 0; c < 4; c++) {
                    double mean = 0;
                    for (int i = c; i < x.data().length; i += 4) {
                        mean += x.data()[i] / 18;
                    }
                    double var = 0;
                    for (int i = c; i < x.data().length; i += 4) {
                        var += Math.pow(x.data()[i] - mean, 2) / 18;
                    }
                    for (int i = c; i < x.data().length; i += 4) {
                        assertEquals((x.data()[i] - mean) / Math.sqrt(var + EPS) * gamma[c] + beta[c], nhwc[i], 1e-9);
                    }
                    assertEquals(0.9 * values(p, "t/bn/running_var")[c] + 0.1 * var * 18 / 17,
                            data(nhwcParams.assigned().get("t/bn/running_var"))[c], 1e-7);
                }
            }
            Ops nchwOps = LayerFixture.nchw(ref);
            ReferenceOps.HostParams nchwParams = ref.new HostParams(p);
            Tensor nchw = norm.apply(nchwOps, nchwParams, LayerFixture.toNchw(ref, x), mode);
            assertArrayEquals(nhwc, data(LayerFixture.toNhwc(ref, nchw)), 1e-12, mode.toString());
            assertEquals(nhwcParams.assigned().keySet(), nchwParams.assigned().keySet());
            for (String name : nhwcParams.assigned().keySet()) {
                assertArrayEquals(data(nhwcParams.assigned().get(name)), data(nchwParams.assigned().get(name)), 1e-12, name);
                assertEquals(Shape.of(4), nchwParams.assigned().get(name).shape(), "running statistics stay [channels]");
            }
        }
        ShapeException wrong = assertThrows(ShapeException.class,
                () -> norm.apply(ref, ref.new HostParams(p), random(Shape.of(2, 3, 3, 5), 1), Mode.EVAL));
        assertTrue(wrong.getMessage().contains("t/bn") && wrong.getMessage().contains("4 channels"), wrong.getMessage());
    }

    @Test
    void groupNormIsPerExampleOverEachGroupOfChannelsAndSpace() {
        GroupNorm norm = GroupNorm.of("t/gn", 6, 3);
        assertEquals(List.of("t/gn/gamma", "t/gn/beta"), norm.parameters().stream().map(ParamSpec::name).toList());
        ParameterSet p = parameters(norm.parameters(), 9);
        int h = 2;
        int w = 3;
        ReferenceOps.Value x = random(Shape.of(2, h, w, 6), 10);
        double[] y = data(norm.apply(ref, ref.new HostParams(p), x));
        double[] gamma = values(p, "t/gn/gamma");
        double[] beta = values(p, "t/gn/beta");
        for (int b = 0; b < 2; b++) {
            for (int g = 0; g < 3; g++) {
                double mean = 0;
                double sq = 0;
                int count = h * w * 2;
                for (int s = 0; s < h * w; s++) {
                    for (int c = 2 * g; c < 2 * g + 2; c++) {
                        mean += x.data()[(b * h * w + s) * 6 + c] / count;
                    }
                }
                for (int s = 0; s < h * w; s++) {
                    for (int c = 2 * g; c < 2 * g + 2; c++) {
                        sq += Math.pow(x.data()[(b * h * w + s) * 6 + c] - mean, 2) / count;
                    }
                }
                for (int s = 0; s < h * w; s++) {
                    for (int c = 2 * g; c < 2 * g + 2; c++) {
                        int i = (b * h * w + s) * 6 + c;
                        assertEquals((x.data()[i] - mean) / Math.sqrt(sq + EPS) * gamma[c] + beta[c], y[i], 1e-9);
                    }
                }
            }
        }
        // The same in NCHW, and independent of the mode and of the other examples in the batch.
        Ops nchwOps = LayerFixture.nchw(ref);
        assertArrayEquals(y, data(LayerFixture.toNhwc(ref, norm.apply(nchwOps, ref.new HostParams(p), LayerFixture.toNchw(ref, x), Mode.TRAIN))),
                1e-12);
        double[] first = data(norm.apply(ref, ref.new HostParams(p), ref.slice(x, new int[] {0, 0, 0, 0}, new int[] {1, h, w, 6})));
        assertArrayEquals(java.util.Arrays.copyOf(y, first.length), first, 1e-12);
        assertThrows(IllegalArgumentException.class, () -> GroupNorm.of("t/gn", 6, 4));
    }

    @Test
    void theNormalizationsShareOneInterfaceAndOnlyBatchNormDependsOnTheMode() {
        ReferenceOps.Value x = random(Shape.of(3, 2, 2, 4), 11);
        List<Normalization> norms = List.of(LayerNorm.of("a", 4), BatchNorm.of("b", 4), GroupNorm.of("c", 4, 2));
        for (Normalization norm : norms) {
            ParameterSet p = parameters(norm.parameters(), 12);
            double[] train = data(norm.apply(ref, ref.new HostParams(p), x, Mode.TRAIN));
            double[] eval = data(norm.apply(ref, ref.new HostParams(p), x, Mode.EVAL));
            assertEquals(norm instanceof BatchNorm, !java.util.Arrays.equals(train, eval), norm.name());
        }
        assertFalse(BatchNorm.of("b", 4).parameters().get(2).trainable());
    }
}

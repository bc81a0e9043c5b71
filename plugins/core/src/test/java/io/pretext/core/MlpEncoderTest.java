package io.pretext.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.EncoderModel;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.core.encoder.MlpEncoder;
import io.pretext.testkit.ReferenceOps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MlpEncoderTest {
    private final MlpEncoder provider = new MlpEncoder();
    private final ReferenceOps ops = new ReferenceOps(3);

    private EncoderModel create(Map<String, ?> options, int inputWidth) {
        return provider.create(Options.resolve("encoder", provider.options(), options), Shape.of(inputWidth), "encoder");
    }

    @Test
    void declaresPyTorchShapedParametersUnderItsScope() {
        EncoderModel m = create(Map.of("widths", List.of(8, 4)), 3);
        assertEquals(List.of("encoder/dense0/kernel", "encoder/dense0/bias", "encoder/dense1/kernel", "encoder/dense1/bias"),
                m.parameters().stream().map(ParamSpec::name).toList());
        assertEquals(Shape.of(3, 8), m.parameters().get(0).shape());
        assertEquals(Shape.of(4), m.outputShape());
        ParameterSet init = ParameterSet.initialize(m.parameters(), 7);
        float limit = (float) (1 / Math.sqrt(3));
        for (float v : init.get("encoder/dense0/bias").data()) {
            assertTrue(Math.abs(v) <= limit, "bias within +-1/sqrt(fan-in)");
        }
    }

    @Test
    void forwardIsDenseReluDenseByHand() {
        EncoderModel m = create(Map.of("widths", List.of(2, 1), "final-activation", false), 2);
        ParameterSet p = new ParameterSet(Map.of(
                "encoder/dense0/kernel", HostTensor.of(Shape.of(2, 2), new float[] {1, -1, 2, 1}),
                "encoder/dense0/bias", HostTensor.of(Shape.of(2), new float[] {0, -10}),
                "encoder/dense1/kernel", HostTensor.of(Shape.of(2, 1), new float[] {3, 5}),
                "encoder/dense1/bias", HostTensor.of(Shape.of(1), new float[] {1})));
        var x = ReferenceOps.floats(Shape.of(1, 2), 1, 2);
        // hidden = relu([1*1 + 2*2, 1*-1 + 2*1 - 10]) = relu([5, -9]) = [5, 0]; out = 15 + 0 + 1
        var y = (ReferenceOps.Value) m.forward(ops, ops.new HostParams(p), x, Mode.EVAL);
        assertArrayEquals(new double[] {16}, y.data(), 1e-12);
    }

    @Test
    void layerNormOutputsAreStandardizedBeforeActivation() {
        EncoderModel m = create(Map.of("widths", List.of(16), "normalization", "layer", "activation", "tanh"), 5);
        ParameterSet p = ParameterSet.initialize(m.parameters(), 1);
        var x = ReferenceOps.floats(Shape.of(2, 5), 1, 2, 3, 4, 5, -1, 0, 3, 9, 2);
        var y = (ReferenceOps.Value) m.forward(ops, ops.new HostParams(p), x, Mode.EVAL);
        // tanh is odd and gamma = 1, beta = 0: atanh(y) per row has mean 0 and variance ~1.
        for (int r = 0; r < 2; r++) {
            double mean = 0;
            double sq = 0;
            for (int j = 0; j < 16; j++) {
                double pre = 0.5 * Math.log((1 + y.data()[r * 16 + j]) / (1 - y.data()[r * 16 + j]));
                mean += pre / 16;
                sq += pre * pre / 16;
            }
            assertEquals(0, mean, 1e-6);
            assertEquals(1, sq - mean * mean, 1e-3);
        }
    }

    @Test
    void batchNormUpdatesRunningStatisticsOnlyInTraining() {
        EncoderModel m = create(Map.of("widths", List.of(3), "normalization", "batch"), 2);
        assertTrue(m.parameters().stream().anyMatch(s -> !s.trainable() && s.name().endsWith("running_mean")));
        ParameterSet p = ParameterSet.initialize(m.parameters(), 1);
        var x = ReferenceOps.floats(Shape.of(4, 2), 1, 2, 3, 4, 5, 6, 7, 9);
        ReferenceOps.HostParams train = ops.new HostParams(p);
        m.forward(ops, train, x, Mode.TRAIN);
        assertEquals(2, train.assigned().size());
        ReferenceOps.HostParams eval = ops.new HostParams(p);
        m.forward(ops, eval, x, Mode.EVAL);
        assertTrue(eval.assigned().isEmpty());
    }

    @Test
    void dropoutOnlyInTraining() {
        EncoderModel m = create(Map.of("widths", List.of(64, 64), "dropout", 0.5), 4);
        ParameterSet p = ParameterSet.initialize(m.parameters(), 1);
        var x = ReferenceOps.floats(Shape.of(1, 4), 1, 2, 3, 4);
        var e1 = (ReferenceOps.Value) m.forward(ops, ops.new HostParams(p), x, Mode.EVAL);
        var e2 = (ReferenceOps.Value) m.forward(ops, ops.new HostParams(p), x, Mode.EVAL);
        assertArrayEquals(e1.data(), e2.data());
        var t = (ReferenceOps.Value) m.forward(ops, ops.new HostParams(p), x, Mode.TRAIN);
        assertNotEquals(java.util.Arrays.toString(e1.data()), java.util.Arrays.toString(t.data()));
    }

    @Test
    void flattensMultiAxisExamples() {
        EncoderModel m = provider.create(Options.resolve("encoder", provider.options(), Map.of("widths", List.of(3))),
                Shape.of(2, 2), "enc");
        ParameterSet p = ParameterSet.initialize(m.parameters(), 1);
        var y = m.forward(ops, ops.new HostParams(p), ReferenceOps.floats(Shape.of(5, 2, 2), new double[20]), Mode.EVAL);
        assertEquals(Shape.of(5, 3), y.shape());
    }

    @Test
    void wrongInputWidthNamesScopeAndShape() {
        EncoderModel m = create(Map.of("widths", List.of(3)), 4);
        ParameterSet p = ParameterSet.initialize(m.parameters(), 1);
        ShapeException e = assertThrows(ShapeException.class,
                () -> m.forward(ops, ops.new HostParams(p), ReferenceOps.floats(Shape.of(1, 5), new double[5]), Mode.EVAL));
        assertTrue(e.getMessage().contains("encoder") && e.getMessage().contains("[1, 5]"), e.getMessage());
    }

    @Test
    void badOptionsAreRejectedWithTheirKey() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> Options.resolve("encoder", provider.options(), Map.of("activation", "relu6")));
        assertEquals("encoder.activation", e.key());
        assertTrue(e.getMessage().contains("gelu"));
        assertThrows(InvalidOptionException.class, () -> create(Map.of("widths", List.of(0)), 3));
        assertThrows(InvalidOptionException.class, () -> create(Map.of("dropout", 1.0), 3));
    }
}

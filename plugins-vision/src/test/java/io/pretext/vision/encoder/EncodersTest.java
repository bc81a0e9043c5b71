package io.pretext.vision.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.Encoder;
import io.pretext.api.EncoderModel;
import io.pretext.api.PretextApi;
import io.pretext.api.data.Example;
import io.pretext.api.error.InvalidOptionException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParamSpec;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Ops;
import io.pretext.api.tensor.Shape;
import io.pretext.api.tensor.Tensor;
import io.pretext.testkit.ReferenceOps;
import io.pretext.vision.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cnn, resnet and vit encoders run with the plain-Java reference ops on real digits. */
class EncodersTest {
    private static List<Example> digits;
    private static List<Example> mnist;
    private final ReferenceOps ref = new ReferenceOps(1);

    @BeforeAll
    static void data() {
        digits = TestData.digits().subList(0, 6);
        mnist = TestData.mnist(4);
    }

    private static EncoderModel create(Encoder encoder, Map<String, ?> options, Shape input) {
        return encoder.create(Options.resolve("encoder", encoder.options(), options), input, "encoder");
    }

    private static HostTensor.Floats batch(List<Example> images) {
        Example.Image first = (Example.Image) images.get(0);
        int size = first.pixels().length;
        float[] data = new float[images.size() * size];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(((Example.Image) images.get(i)).pixels(), 0, data, i * size, size);
        }
        return HostTensor.of(Shape.of(images.size(), first.height(), first.width(), first.channels()), data);
    }

    private double[] forward(Ops ops, EncoderModel model, ParameterSet values, HostTensor.Floats input, Mode mode) {
        ReferenceOps.HostParams params = ref.new HostParams(values);
        Tensor out = model.forward(ops, params, ops.constant(input), mode);
        return ((ReferenceOps.Value) out).data();
    }

    @Test
    void providersAreRegistered() {
        List<String> ids = new ArrayList<>();
        for (Encoder e : ServiceLoader.load(Encoder.class)) {
            if (!e.getClass().getPackageName().startsWith("io.pretext.vision")) {
                continue; // plugins/core's mlp is on the test class path
            }
            ids.add(e.id());
            assertEquals(PretextApi.VERSION, e.apiVersion());
            Options.defaults(e.options());
        }
        assertEquals(List.of("cnn", "resnet", "vit"), ids);
    }

    @Test
    void defaultCnnIsTheDigitsReferenceEncoder() {
        EncoderModel cnn = create(new CnnEncoder(), Map.of(), Shape.of(8, 8, 1));
        // conv3x3(1->32), conv3x3(32->64), conv3x3(64->128), each with a bias: the PyTorch reference's 92,672 parameters.
        assertEquals(92_672L, cnn.parameters().stream().mapToLong(p -> p.shape().size()).sum());
        assertEquals(Shape.of(128), cnn.outputShape());
        assertEquals(List.of("encoder/conv0/kernel", "encoder/conv0/bias", "encoder/conv1/kernel", "encoder/conv1/bias", "encoder/conv2/kernel",
                "encoder/conv2/bias"), cnn.parameters().stream().map(ParamSpec::name).toList());
        ParameterSet values = ParameterSet.initialize(cnn.parameters(), 3);
        double[] z = forward(ref, cnn, values, batch(digits), Mode.EVAL);
        assertEquals(6 * 128, z.length);
        for (double v : z) {
            assertTrue(Double.isFinite(v) && v >= 0, "ReLU then mean: non-negative");
        }
        // Different digits, different embeddings.
        assertNotEquals(z[0], z[128]);
    }

    @Test
    void everyEncoderGivesTheSameResultInBothImageLayouts() {
        Ops nchw = new ReferenceOps(1, io.pretext.api.tensor.ImageLayout.NCHW);
        List<EncoderModel> models = List.of(
                create(new CnnEncoder(), Map.of("channels", List.of(8L, 16L), "pool-after", List.of(1L, 2L), "normalization", "group",
                        "groups", 4), Shape.of(28, 28, 1)),
                create(new CnnEncoder(), Map.of("channels", List.of(8L, 16L), "normalization", "batch"), Shape.of(28, 28, 1)),
                create(new ResNetEncoder(), Map.of("widths", List.of(8L, 16L), "normalization", "batch"), Shape.of(28, 28, 1)),
                create(new ResNetEncoder(), Map.of("widths", List.of(8L, 16L), "normalization", "group", "groups", 2), Shape.of(28, 28, 1)));
        for (EncoderModel m : models) {
            ParameterSet values = ParameterSet.initialize(m.parameters(), 5);
            for (Mode mode : Mode.values()) {
                double[] a = forward(ref, m, values, batch(mnist), mode);
                double[] b = forward(nchw, m, values, batch(mnist), mode);
                assertEquals(a.length, b.length);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], b[i], 1e-9, m.parameters().get(0).name() + " " + mode + " at " + i);
                }
            }
        }
    }

    @Test
    void batchNormUsesBatchStatisticsInTrainingAndUpdatesRunningAverages() {
        EncoderModel cnn = create(new CnnEncoder(), Map.of("channels", List.of(4L), "pool-after", List.of(), "normalization", "batch"),
                Shape.of(8, 8, 1));
        assertFalse(cnn.parameters().stream().anyMatch(p -> p.name().endsWith("conv0/bias")), "no bias before batch norm");
        ParameterSet values = ParameterSet.initialize(cnn.parameters(), 2);
        ReferenceOps.HostParams params = ref.new HostParams(values);
        cnn.forward(ref, params, ref.constant(batch(digits)), Mode.TRAIN);
        assertEquals(List.of("encoder/norm0/running_mean", "encoder/norm0/running_var"), List.copyOf(params.assigned().keySet()));
        double[] mean = params.assigned().get("encoder/norm0/running_mean").data();
        assertEquals(4, mean.length);
        assertTrue(Math.abs(mean[0]) > 0, "the running mean moved towards the batch mean");
        // Group norm is per example: an image's embedding does not depend on its batch-mates; batch norm's does in training.
        EncoderModel gn = create(new CnnEncoder(), Map.of("channels", List.of(4L), "pool-after", List.of(), "normalization", "group",
                "groups", 2), Shape.of(8, 8, 1));
        ParameterSet gv = ParameterSet.initialize(gn.parameters(), 2);
        double[] alone = forward(ref, gn, gv, batch(digits.subList(0, 1)), Mode.TRAIN);
        double[] together = forward(ref, gn, gv, batch(digits), Mode.TRAIN);
        for (int j = 0; j < 4; j++) {
            assertEquals(alone[j], together[j], 1e-9);
        }
        double[] bnAlone = forward(ref, cnn, values, batch(digits.subList(0, 2)), Mode.TRAIN);
        double[] bnTogether = forward(ref, cnn, values, batch(digits), Mode.TRAIN);
        assertNotEquals(bnAlone[0], bnTogether[0], 1e-6);
    }

    @Test
    void resnetHalvesTheResolutionPerStageWithProjectionShortcuts() {
        EncoderModel net = create(new ResNetEncoder(), Map.of("widths", List.of(8L, 16L, 32L), "blocks", List.of(2L, 1L, 1L)),
                Shape.of(28, 28, 1));
        List<String> names = net.parameters().stream().map(ParamSpec::name).toList();
        assertTrue(names.contains("encoder/stage0/block1/conv2/kernel"));
        assertFalse(names.contains("encoder/stage0/block0/shortcut/conv/kernel"), "same shape: identity shortcut");
        assertTrue(names.contains("encoder/stage1/block0/shortcut/conv/kernel"));
        assertTrue(names.contains("encoder/stage2/block0/shortcut/norm/running_var"));
        assertEquals(Shape.of(32), net.outputShape());
        double[] z = forward(ref, net, ParameterSet.initialize(net.parameters(), 4), batch(mnist), Mode.EVAL);
        assertEquals(4 * 32, z.length);
        for (double v : z) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void vitCutsPatchesAsTheHostDoesAndPoolsItsTokens() {
        VitModel vit = (VitModel) create(new VitEncoder(), Map.of("patch-size", 7, "dim", 16, "depth", 2, "heads", 2), Shape.of(28, 28, 1));
        assertEquals(16, vit.tokens());
        assertEquals(49, vit.patchWidth());
        HostTensor.Floats input = batch(mnist);
        double[] patches = ((ReferenceOps.Value) vit.patchify(ref, ref.constant(input))).data();
        float[] host = new float[49];
        Example.Image second = (Example.Image) mnist.get(1);
        for (int token = 0; token < 16; token++) {
            vit.patch(second.pixels(), token, host, 0);
            for (int k = 0; k < 49; k++) {
                assertEquals(host[k], patches[(16 + token) * 49 + k], 1e-7, "token " + token);
            }
        }
        ParameterSet values = ParameterSet.initialize(vit.parameters(), 6);
        double[] z = forward(ref, vit, values, input, Mode.EVAL);
        assertEquals(4 * 16, z.length);
        assertNotEquals(z[0], z[16]);
        // The same image in another batch gives the same embedding (no batch coupling).
        double[] single = forward(ref, vit, values, batch(mnist.subList(1, 2)), Mode.EVAL);
        for (int j = 0; j < 16; j++) {
            assertEquals(z[16 + j], single[j], 1e-9);
        }
    }

    @Test
    void unsuitableInputsAndOptionsAreNamed() {
        assertThrows(ShapeException.class, () -> create(new CnnEncoder(), Map.of(), Shape.of(64)));
        ShapeException pooled = assertThrows(ShapeException.class,
                () -> create(new CnnEncoder(), Map.of("channels", List.of(4L, 4L, 4L, 4L), "pool-after", List.of(1L, 2L, 3L, 4L)),
                        Shape.of(8, 8, 1)));
        assertTrue(pooled.getMessage().contains("pool-after"), pooled.getMessage());
        ShapeException patch = assertThrows(ShapeException.class, () -> create(new VitEncoder(), Map.of("patch-size", 3), Shape.of(8, 8, 1)));
        assertTrue(patch.getMessage().contains("patch size 3"), patch.getMessage());
        InvalidOptionException groups = assertThrows(InvalidOptionException.class,
                () -> create(new ResNetEncoder(), Map.of("normalization", "group", "groups", 5), Shape.of(28, 28, 1)));
        assertEquals("encoder.groups", groups.key());
        assertThrows(InvalidOptionException.class, () -> create(new VitEncoder(), Map.of("dim", 10, "heads", 4), Shape.of(8, 8, 1)));
        assertThrows(InvalidOptionException.class, () -> create(new CnnEncoder(), Map.of("normalization", "layer"), Shape.of(8, 8, 1)));
    }
}

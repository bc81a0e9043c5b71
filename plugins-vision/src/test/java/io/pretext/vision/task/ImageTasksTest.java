package io.pretext.vision.task;

import static io.pretext.vision.task.Fixtures.bind;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.api.PretextApi;
import io.pretext.api.PretextTask;
import io.pretext.api.TaskContext;
import io.pretext.api.TaskModel;
import io.pretext.api.data.DatasetInfo;
import io.pretext.api.data.Example;
import io.pretext.api.data.Modality;
import io.pretext.api.error.PretextException;
import io.pretext.api.error.ShapeException;
import io.pretext.api.model.Batch;
import io.pretext.api.model.LossOutput;
import io.pretext.api.model.Mode;
import io.pretext.api.model.ParameterSet;
import io.pretext.api.option.Options;
import io.pretext.api.tensor.HostTensor;
import io.pretext.api.tensor.Shape;
import io.pretext.testkit.ReferenceOps;
import io.pretext.vision.TestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each image task's preparation (views, rotations, corruption, masks) and its objective evaluated
 * with the plain-Java reference ops, plugins/core's MLP heads and losses, on real digits.
 */
class ImageTasksTest {
    /** The SimCLR digits reference's augmentations. */
    static final List<Map<String, Object>> DIGITS_VIEWS = List.of(
            Map.of("id", "random-affine", "min-scale", 0.75, "degrees", 15, "translate", 0.125),
            Map.of("id", "gaussian-noise", "sigma", 0.1));
    private static final Map<String, Object> SMALL_CNN = Map.of("channels", List.of(8L, 16L));

    private static List<Example> digits;
    private final ReferenceOps ops = new ReferenceOps(5);

    @BeforeAll
    static void data() {
        digits = TestData.digits().subList(0, 12);
    }

    private LossOutput evaluate(TaskModel model, Batch batch) {
        return ops.evaluate(model.objective(), ParameterSet.initialize(model.parameters(), 3), batch, Mode.TRAIN);
    }

    private static double value(io.pretext.api.tensor.Tensor t) {
        return ((ReferenceOps.Value) t).item();
    }

    private static float[] floats(Batch b, String name) {
        return ((HostTensor.Floats) b.get(name)).data();
    }

    private static int[] ints(Batch b, String name) {
        return ((HostTensor.Ints) b.get(name)).data();
    }

    @Test
    void tasksAreRegisteredWithIdsThatDoNotClashWithTheTabularOnes() {
        List<String> ids = new ArrayList<>();
        for (PretextTask t : ServiceLoader.load(PretextTask.class)) {
            ids.add(t.id());
            assertEquals(Modality.IMAGE, t.modality());
            assertEquals(PretextApi.VERSION, t.apiVersion());
            Options.defaults(t.options(), Fixtures.REGISTRY);
        }
        assertEquals(List.of("simclr", "masked-autoencoder", "image-denoising-autoencoder", "rotation"), ids);
        assertFalse(ids.contains("denoising-autoencoder"));
    }

    // ---- simclr -------------------------------------------------------------------------------

    @Test
    void simclrMakesTwoDifferentSeededViewsAndContrastsThem() {
        TaskModel model = bind(new SimClrTask(), Map.of("augmentations", DIGITS_VIEWS), digits, "cnn", SMALL_CNN, "nt-xent");
        Batch a = model.prepare(digits, new SplittableRandom(1));
        Batch b = model.prepare(digits, new SplittableRandom(1));
        assertEquals(Shape.of(12, 8, 8, 1), a.get(SimClrTask.VIEW1).shape());
        assertArrayEquals(floats(a, SimClrTask.VIEW1), floats(b, SimClrTask.VIEW1));
        assertArrayEquals(floats(a, SimClrTask.VIEW2), floats(b, SimClrTask.VIEW2));
        assertFalse(Arrays.equals(floats(a, SimClrTask.VIEW1), floats(a, SimClrTask.VIEW2)));
        float[] clean = floats(model.encoderInputs(digits), TaskModel.ENCODER_INPUT);
        assertFalse(Arrays.equals(clean, floats(a, SimClrTask.VIEW1)));
        assertArrayEquals(((Example.Image) digits.get(0)).pixels(), Arrays.copyOf(clean, 64));
        for (float v : floats(a, SimClrTask.VIEW1)) {
            assertTrue(v >= 0 && v <= 1);
        }

        LossOutput out = evaluate(model, a);
        double augmented = value(out.loss());
        assertTrue(Double.isFinite(augmented) && augmented > 0);
        assertTrue(out.metrics().containsKey("embedding-std"));
        // Identical views are the easiest pairs: the same parameters give a lower loss than on augmented views.
        TaskModel plain = bind(new SimClrTask(), Map.of("augmentations", ""), digits, "cnn", SMALL_CNN, "nt-xent");
        double identical = value(evaluate(plain, plain.prepare(digits, new SplittableRandom(1))).loss());
        assertTrue(identical < augmented, identical + " vs " + augmented);
        // Head widths: 16 (encoder) -> 128 -> 64 by default.
        assertTrue(model.parameters().stream().anyMatch(p -> p.name().equals("head/dense1/kernel") && p.shape().equals(Shape.of(128, 64))));
    }

    @Test
    void simclrTakesAnyPairLossAndAnAsymmetricSecondView() {
        for (String loss : List.of("vicreg", "barlow-twins")) {
            TaskModel model = bind(new SimClrTask(), Map.of("augmentations", DIGITS_VIEWS), digits, "cnn", SMALL_CNN, loss);
            assertTrue(Double.isFinite(value(evaluate(model, model.prepare(digits, new SplittableRandom(2))).loss())), loss);
        }
        TaskModel asym = bind(new SimClrTask(), Map.of("augmentations", "", "second-view-augmentations", "solarize(probability=1)"), digits,
                "cnn", SMALL_CNN, "nt-xent");
        Batch b = asym.prepare(digits, new SplittableRandom(0));
        assertArrayEquals(floats(asym.encoderInputs(digits), TaskModel.ENCODER_INPUT), floats(b, SimClrTask.VIEW1));
        assertFalse(Arrays.equals(floats(b, SimClrTask.VIEW1), floats(b, SimClrTask.VIEW2)));
    }

    @Test
    void tasksRefuseDataThatAreNotImages() {
        DatasetInfo table = new DatasetInfo("t.csv", Modality.TABLE, Shape.of(64), OptionalLong.empty(), List.of(), Optional.empty(), "x");
        TaskModel ok = bind(new SimClrTask(), Map.of(), digits, "cnn", SMALL_CNN, "nt-xent");
        assertTrue(ok.parameters().size() > 0);
        SimClrTask task = new SimClrTask();
        io.pretext.api.Encoder cnn = Fixtures.REGISTRY.get(io.pretext.api.Encoder.class, "cnn");
        var encoder = cnn.create(Options.defaults(cnn.options()), Shape.of(8, 8, 1), "encoder");
        PretextException e = assertThrows(PretextException.class, () -> task.bind(new TaskContext(Fixtures.REGISTRY, table, digits, encoder,
                null, Optional.empty(), 1L), Options.defaults(task.options(), Fixtures.REGISTRY)));
        assertTrue(e.getMessage().contains("trains on images"), e.getMessage());
    }

    // ---- rotation ----------------------------------------------------------------------------

    @Test
    void rotationTurnsEveryImageFourWaysAndClassifiesTheTurn() {
        TaskModel model = bind(new RotationTask(), Map.of(), digits, "cnn", SMALL_CNN, "cross-entropy");
        Batch b = model.prepare(digits, new SplittableRandom(0));
        assertEquals(Shape.of(48, 8, 8, 1), b.get(RotationTask.ROTATED).shape());
        int[] labels = ints(b, RotationTask.ROTATION);
        assertArrayEquals(new int[] {0, 1, 2, 3, 0, 1, 2, 3}, Arrays.copyOf(labels, 8));
        float[] rotated = floats(b, RotationTask.ROTATED);
        float[] src = ((Example.Image) digits.get(0)).pixels();
        // A quarter turn counter-clockwise: output (y, x) is source (x, 7 - y), as numpy's rot90.
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                assertEquals(src[y * 8 + x], rotated[y * 8 + x]);
                assertEquals(src[x * 8 + (7 - y)], rotated[64 + y * 8 + x]);
            }
        }
        float[] back = new float[64];
        float[] tmp = Arrays.copyOfRange(rotated, 64, 128);
        for (int i = 0; i < 3; i++) {
            RotationTask.rotate(tmp, 8, 1, 1, back, 0);
            tmp = back.clone();
        }
        assertArrayEquals(src, back, "four quarter turns are the identity");
        LossOutput out = evaluate(model, b);
        assertTrue(Double.isFinite(value(out.loss())));
        assertTrue(out.metrics().containsKey("accuracy"));

        TaskModel single = bind(new RotationTask(), Map.of("all-rotations", false), digits, "cnn", SMALL_CNN, "cross-entropy");
        Batch s = single.prepare(digits, new SplittableRandom(4));
        assertEquals(12, s.size());
        assertTrue(new HashSet<>(Arrays.stream(ints(s, RotationTask.ROTATION)).boxed().toList()).size() > 1);
    }

    @Test
    void rotationNeedsSquareImages() {
        List<Example> wide = new ArrayList<>();
        for (Example e : digits) {
            wide.add(new Example.Image(4, 16, 1, ((Example.Image) e).pixels(), e.label()));
        }
        ShapeException e = assertThrows(ShapeException.class, () -> bind(new RotationTask(), Map.of(), wide, "cnn", SMALL_CNN, "cross-entropy"));
        assertTrue(e.getMessage().contains("square"), e.getMessage());
    }

    // ---- denoising autoencoder ------------------------------------------------------------------

    @Test
    void denoisingCorruptsTheInputAndReconstructsTheCleanImage() {
        TaskModel model = bind(new ImageDenoisingAutoencoderTask(), Map.of(), digits, "cnn", SMALL_CNN, "mse");
        Batch b = model.prepare(digits, new SplittableRandom(0));
        assertEquals(Shape.of(12, 64), b.get(ImageDenoisingAutoencoderTask.CLEAN).shape());
        assertArrayEquals(floats(model.encoderInputs(digits), TaskModel.ENCODER_INPUT), floats(b, ImageDenoisingAutoencoderTask.CLEAN));
        assertFalse(Arrays.equals(floats(b, ImageDenoisingAutoencoderTask.CLEAN), floats(b, ImageDenoisingAutoencoderTask.NOISY)));
        double loss = value(evaluate(model, b).loss());
        // A sigmoid output starts near 0.5: the squared error to [0, 1] pixels is well below 1 and above 0.
        assertTrue(loss > 0.01 && loss < 1, String.valueOf(loss));
        assertTrue(model.parameters().stream().anyMatch(p -> p.name().equals("decoder/dense1/kernel") && p.shape().equals(Shape.of(256, 64))));
    }

    // ---- masked autoencoder --------------------------------------------------------------------

    private static final Map<String, Object> SMALL_VIT = Map.of("patch-size", 2, "dim", 16, "depth", 1, "heads", 2);

    @Test
    void maskedAutoencoderHidesAFreshShareOfPatchesPerImage() {
        TaskModel model = bind(new MaskedAutoencoderTask(), Map.of(), digits, "vit", SMALL_VIT, "mse");
        Batch b = model.prepare(digits, new SplittableRandom(0));
        int t = 16;
        int visible = 4;
        int[] vis = ints(b, MaskedAutoencoderTask.VISIBLE);
        int[] masked = ints(b, MaskedAutoencoderTask.MASKED);
        int[] restore = ints(b, MaskedAutoencoderTask.RESTORE);
        assertEquals(Shape.of(12, visible), b.get(MaskedAutoencoderTask.VISIBLE).shape());
        assertEquals(Shape.of(12, 12, 4), b.get(MaskedAutoencoderTask.TARGET).shape());
        Set<Integer> patterns = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            Set<Integer> tokens = new HashSet<>();
            int pattern = 0;
            for (int k = 0; k < visible; k++) {
                int token = vis[i * visible + k] - i * t;
                assertTrue(token >= 0 && token < t);
                tokens.add(token);
                pattern |= 1 << token;
                assertEquals(i * visible + k, restore[i * t + token], "a visible position reads its encoded token");
            }
            for (int k = 0; k < t - visible; k++) {
                int token = masked[i * (t - visible) + k] - i * t;
                assertTrue(tokens.add(token), "hidden and visible tokens are disjoint");
                assertEquals(12 * visible, restore[i * t + token], "a hidden position reads the mask token");
            }
            assertEquals(t, tokens.size());
            patterns.add(pattern);
        }
        assertTrue(patterns.size() > 6, "each image draws its own mask");
        // Targets are the hidden patches' pixels.
        float[] target = floats(b, MaskedAutoencoderTask.TARGET);
        float[] img = ((Example.Image) digits.get(0)).pixels();
        int token = masked[0];
        int gy = token / 4;
        int gx = token % 4;
        assertEquals(img[(gy * 2) * 8 + gx * 2], target[0]);
        assertEquals(img[(gy * 2 + 1) * 8 + gx * 2 + 1], target[3]);
    }

    @Test
    void theEncoderNeverSeesHiddenPatches() {
        TaskModel model = bind(new MaskedAutoencoderTask(), Map.of(), digits, "vit", SMALL_VIT, "mse");
        Batch b = model.prepare(digits, new SplittableRandom(0));
        double loss = value(evaluate(model, b).loss());
        assertTrue(Double.isFinite(loss) && loss > 0);
        int hiddenToken = ints(b, MaskedAutoencoderTask.MASKED)[0];
        int visibleToken = ints(b, MaskedAutoencoderTask.VISIBLE)[0];
        // Changing the pixels of a hidden patch in the input (targets kept) leaves the loss exactly as it was...
        assertEquals(loss, value(evaluate(model, withPatch(b, hiddenToken, 1f)).loss()), 1e-12);
        // ...while changing a visible patch changes it.
        assertNotEquals(loss, value(evaluate(model, withPatch(b, visibleToken, 1f)).loss()), 1e-9);
    }

    private static Batch withPatch(Batch b, int token, float value) {
        float[] images = floats(b, MaskedAutoencoderTask.IMAGE).clone();
        int image = token / 16;
        int local = token % 16;
        int gy = local / 4;
        int gx = local % 4;
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                images[image * 64 + (gy * 2 + y) * 8 + gx * 2 + x] = value;
            }
        }
        Map<String, HostTensor> out = new LinkedHashMap<>(b.tensors());
        out.put(MaskedAutoencoderTask.IMAGE, HostTensor.of(b.get(MaskedAutoencoderTask.IMAGE).shape(), images));
        return new Batch(out);
    }

    @Test
    void maskedAutoencoderNeedsTheVitAndASensibleRatio() {
        PretextException e = assertThrows(PretextException.class, () -> bind(new MaskedAutoencoderTask(), Map.of(), digits, "cnn", SMALL_CNN,
                "mse"));
        assertTrue(e.getMessage().contains("vit"), e.getMessage());
        assertThrows(io.pretext.api.error.InvalidOptionException.class, () -> bind(new MaskedAutoencoderTask(), Map.of("mask-ratio", 0.99),
                digits, "vit", SMALL_VIT, "mse"));
        io.pretext.api.error.InvalidOptionException heads = assertThrows(io.pretext.api.error.InvalidOptionException.class,
                () -> bind(new MaskedAutoencoderTask(), Map.of("decoder-dim", 10, "decoder-heads", 4), digits, "vit", SMALL_VIT, "mse"));
        assertEquals("task.decoder-heads", heads.key());
        assertTrue(heads.getMessage().contains("do not divide task.decoder-dim (10)"), heads.getMessage());
        TaskModel normalized = bind(new MaskedAutoencoderTask(), Map.of("norm-pix-loss", true, "mask-ratio", 0.5), digits, "vit", SMALL_VIT,
                "mse");
        float[] target = floats(normalized.prepare(digits, new SplittableRandom(1)), MaskedAutoencoderTask.TARGET);
        double mean = 0;
        for (int k = 0; k < 4; k++) {
            mean += target[k];
        }
        assertEquals(0, mean / 4, 1e-5);
    }
}
